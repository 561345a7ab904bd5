namespace Build.Gates;

/// <summary>A change that has no approval. Nothing was changed.</summary>
public sealed class ApprovalRefusedException(string message) : Exception(message);
