using System.Text.Json;
using Build.Configuration;

namespace Build.Gates;

/// <summary>One promotion: a pull request into <see cref="Into"/> must come from <see cref="From"/>, in this
/// repository.</summary>
public sealed record PromotionRule(string From, string Into, string FromEnvironment, string IntoEnvironment)
{
    public override string ToString() =>
        $"a pull request into '{Into}' ({IntoEnvironment}) must come from '{From}' ({FromEnvironment}) of this " +
        "repository";
}
