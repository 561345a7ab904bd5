using Npgsql;

namespace Build.Migrations.Database;

public enum TransactionState { Committed, Aborted, Unknown }
