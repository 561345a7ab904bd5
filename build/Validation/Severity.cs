namespace Build.Validation;

public enum Severity { Warning, Error }
