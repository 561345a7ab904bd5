namespace Build.Packaging;

public enum PackEntryKind { Directory, File, Symlink }
