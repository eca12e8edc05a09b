; Inno Setup script for CaseGuide on Windows. UNTESTED: written and reviewed on Linux, where
; PyInstaller cannot build Windows programs. Build on Windows:
;   python build_installer.py          (makes dist\caseguide\)
;   iscc /DVersion=0.1.0 packaging\windows\caseguide.iss
; then sign CaseGuide-Setup-*.exe with your organisation's code-signing certificate (signtool).
#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6E7B1C52-3C1D-4F7A-9B7E-CA5E601DE000}
AppName=CaseGuide
AppVersion={#Version}
AppPublisher=CaseGuide
DefaultDirName={autopf}\CaseGuide
DefaultGroupName=CaseGuide
DisableProgramGroupPage=yes
OutputBaseFilename=CaseGuide-Setup-{#Version}
OutputDir=..\..\dist
SetupIconFile=..\..\build\installer\icons\caseguide.ico
UninstallDisplayIcon={app}\CaseGuide.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Machine-wide by default, for shared PCs; an administrator installs it.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\caseguide\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{autoprograms}\CaseGuide"; Filename: "{app}\CaseGuide.exe"
Name: "{autodesktop}\CaseGuide"; Filename: "{app}\CaseGuide.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Put CaseGuide on the desktop"; Flags: unchecked

[Run]
Filename: "{app}\CaseGuide.exe"; Description: "Open CaseGuide"; Flags: nowait postinstall skipifsilent
