#!/usr/bin/env pwsh
# Runs the release suite: builds build/ only when its sources changed, then runs the built assembly directly.
# Every argument goes to the suite: ./build.ps1 --help
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
Set-Location $Root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'
$Dll = Join-Path $Root 'build/bin/Release/net10.0/Build.dll'

function Test-NeedsBuild {
    if (-not (Test-Path $Dll)) { return $true }
    $built = (Get-Item $Dll).LastWriteTimeUtc
    $sources = Get-ChildItem -Path (Join-Path $Root 'build') -Recurse -File |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.Name -ne 'environments.json' }
    $sources += Get-Item (Join-Path $Root 'global.json')
    return [bool]($sources | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}

if (Test-NeedsBuild) {
    Write-Host 'Building the release suite (build/ changed)...'
    dotnet build build/Build.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Write-Error 'build/Build.csproj did not compile (see above)'; exit 1 }
    (Get-Item $Dll).LastWriteTimeUtc = [DateTime]::UtcNow
}
& dotnet $Dll @args
exit $LASTEXITCODE
