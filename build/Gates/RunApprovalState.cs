using System.Net.Http.Headers;
using System.Text.Json;

namespace Build.Gates;

/// <summary>What GitHub says about one environment's approval of one workflow run.</summary>
public sealed record RunApprovalState(
    string? RunStatus,
    IReadOnlyList<string> ApprovedBy,
    IReadOnlyList<string> RejectedBy
);
