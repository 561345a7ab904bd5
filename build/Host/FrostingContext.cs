using Cake.Core;

namespace Build.Host;

/// <summary>Base of the typed context: every Cake alias (<c>Information</c>, <c>Argument</c>, ...) works on
/// it.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context);
