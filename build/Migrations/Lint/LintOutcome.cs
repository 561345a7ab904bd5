namespace Build.Migrations.Lint;

public enum LintOutcome { Note, Warning, Error }
