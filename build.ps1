#!/usr/bin/env pwsh
# The release suite's one entry point (PowerShell twin of build.sh). Before running it, sets up what it needs, only
# when needed: npm ci when node_modules is missing or package-lock.json changed; the build of build/ when its sources
# changed. Then runs the built assembly from the folder you called it from. With no argument: Validate on --env=local.
# Every argument goes to the suite: ./build.ps1 --help
$ErrorActionPreference = 'Stop'
$Caller = (Get-Location).Path
$Root = $PSScriptRoot
Set-Location $Root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$Dll = Join-Path $Root 'build/bin/Release/net10.0/Build.dll'
# BUILD_READY_TO_RUN=1: a ReadyToRun publish instead (precompiled: less JIT at start-up; longer first build).
$ReadyToRun = $env:BUILD_READY_TO_RUN -eq '1'
if ($ReadyToRun) { $Dll = Join-Path $Root 'build/bin/ReadyToRun/Build.dll' }
$NpmStamp = Join-Path $Root 'node_modules/.build-sh-package-lock.sha256'
function Say([string]$Message) { [Console]::Error.WriteLine("build.ps1: $Message") }

function Test-NpmCurrent {
    if (-not (Test-Path (Join-Path $Root 'node_modules'))) { return $false }
    $want = (Get-FileHash (Join-Path $Root 'package-lock.json') -Algorithm SHA256).Hash.ToLowerInvariant()
    if ((Test-Path $NpmStamp) -and ((Get-Content $NpmStamp -Raw).Trim() -eq $want)) { return $true }
    # Installed by a plain `npm ci`: npm's own record is newer than the lock.
    $record = Join-Path $Root 'node_modules/.package-lock.json'
    if ((Test-Path $record) -and (Get-Item $record).LastWriteTimeUtc -gt (Get-Item (Join-Path $Root 'package-lock.json')).LastWriteTimeUtc) {
        Set-Content -Path $NpmStamp -Value $want -NoNewline; return $true
    }
    return $false
}

function Invoke-NpmSetup {
    if (-not (Test-Path (Join-Path $Root 'package-lock.json'))) { return }
    if (Test-NpmCurrent) { return }
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Say 'warning: npm is not installed, so node_modules (PM2, the Supabase CLI, embedded PostgreSQL) is missing or stale.'
        Say '         Install Node.js 20 with npm (https://nodejs.org), then run ./build.ps1 again.'
        return
    }
    if (Test-Path (Join-Path $Root 'node_modules')) { Say 'package-lock.json changed: npm ci...' }
    else { Say 'first run: npm ci (PM2, the Supabase CLI, an embedded PostgreSQL; about a minute)...' }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & npm ci --no-audit --no-fund --loglevel=error 2>&1 | ForEach-Object { [Console]::Error.WriteLine($_) }
    if ($LASTEXITCODE -ne 0) { Say 'error: npm ci failed (see above). Fix it and run ./build.ps1 again.'; exit 1 }
    $want = (Get-FileHash (Join-Path $Root 'package-lock.json') -Algorithm SHA256).Hash.ToLowerInvariant()
    Set-Content -Path $NpmStamp -Value $want -NoNewline
    Say "npm ci done in $([int]$watch.Elapsed.TotalSeconds) s."
}

function Test-NeedsBuild {
    if (-not (Test-Path $Dll)) { return $true }
    $built = (Get-Item $Dll).LastWriteTimeUtc
    # As build.sh's find: every file under build/ (hidden ones too) but build/bin and build/obj, matched below the
    # repository root so that a checkout under a folder named bin or obj is not skipped whole.
    $sources = @(Get-ChildItem -Path (Join-Path $Root 'build') -Recurse -File -Force |
        Where-Object { $_.FullName.Substring($Root.Length) -notmatch '^[\\/]build[\\/](bin|obj)[\\/]' -and $_.Name -ne 'environments.json' })
    $sources += Get-Item (Join-Path $Root 'global.json')
    $sources += Get-Item (Join-Path $Root 'Directory.Build.props')
    return [bool]($sources | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}

function Invoke-Build {
    if (-not (Test-NeedsBuild)) { return }
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
        Say 'error: the .NET SDK is not installed. Install the version global.json names (https://dot.net/install), then run ./build.ps1 again.'
        exit 1
    }
    if (Test-Path $Dll) { Say 'build/ changed: building the release suite...' }
    else { Say 'first run: restoring and building the release suite (build/; about a minute on 2 cores)...' }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $how = if ($ReadyToRun) { @('publish', 'build/Build.csproj', '-c', 'Release', '-r', 'linux-x64', '--self-contained', 'false', '-p:PublishReadyToRun=true', '-o', (Split-Path $Dll)) }
           else { @('build', 'build/Build.csproj', '-c', 'Release') }
    & dotnet @how --nologo -v minimal '-clp:NoSummary' 2>&1 | ForEach-Object { [Console]::Error.WriteLine($_) }
    if ($LASTEXITCODE -ne 0) { Say 'error: build/Build.csproj did not compile (see above).'; exit 1 }
    (Get-Item $Dll).LastWriteTimeUtc = [DateTime]::UtcNow
    Say "built in $([int]$watch.Elapsed.TotalSeconds) s."
}

Invoke-NpmSetup
Invoke-Build
Set-Location $Caller
# At a terminal (a developer, not CI or a script) the replay's scratch PostgreSQL stays warm between runs and replays
# only new migration files (docs/migrations.md); SCRATCH_WARM=0 turns it off, CleanLocal stops it.
if (-not [Console]::IsOutputRedirected -and -not $env:CI -and -not $env:SCRATCH_WARM) { $env:SCRATCH_WARM = '1' }
& dotnet $Dll @args
exit $LASTEXITCODE
