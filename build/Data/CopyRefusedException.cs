using System.Diagnostics;
using Build.Configuration;
using Npgsql;

namespace Build.Data;

/// <summary>The copy cannot start as asked; nothing was changed.</summary>
public class CopyRefusedException(string message) : Exception(message);
