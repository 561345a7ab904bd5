namespace Build.Migrations.Lint;

public enum LintSeverity { Warning, Error }
