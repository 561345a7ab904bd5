using System.Text.Json;
using Build.Configuration;

namespace Build.Gates;

/// <summary>The pull request as the event payload tells it.</summary>
public sealed record PullRequestFacts(
    int Number,
    string BaseRef,
    string HeadRef,
    string? BaseRepository,
    string? HeadRepository
);
