using Build.Ci;
using Build.Configuration;
using Build.Gates;
using Build.Secrets;
using Cake.Core;

namespace Build;

public sealed record TaskOutcome(string Task, TimeSpan Duration, string Status);
