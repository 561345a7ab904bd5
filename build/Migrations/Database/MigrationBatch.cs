using System.Text;

namespace Build.Migrations.Database;

/// <summary>Pending files grouped as they will run: transactional batches, and files that must run on their
/// own.</summary>
public sealed record MigrationBatch(int Number, IReadOnlyList<MigrationFile> Files, bool Transactional, string? Reason);
