using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

public enum MigrationProblemSeverity { Error, Warning }
