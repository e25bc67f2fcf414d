; Inno Setup 6.3+ script: a per-user installer for the PyInstaller folder.
; Build the folder first (packaging\pyinstaller\build.py), sign its .exe files, then:
;   iscc /DAppVersion=0.1.0 packaging\windows\linkwriter.iss
; (the version comes from linkwriter\__init__.py; see packaging\windows\README.md).
; Output: packaging\pyinstaller\dist\LinkWriter-<version>-setup.exe

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\linkwriter.iss
#endif

[Setup]
; AppId identifies the app to Windows across versions: never change it.
AppId={{9928B7C1-D61C-4781-85B1-3166F45579F7}
AppName=LinkWriter
AppVersion={#AppVersion}
AppVerName=LinkWriter {#AppVersion}
AppPublisher=LinkWriter developers
DefaultDirName={autopf}\LinkWriter
DefaultGroupName=LinkWriter
DisableProgramGroupPage=yes
; Per-user by default (no administrator rights needed); the user may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\pyinstaller\dist
OutputBaseFilename=LinkWriter-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\linkwriter.ico
UninstallDisplayIcon={app}\linkwriter-gui.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; To sign setup and uninstaller, define a sign tool named "signtool" in ISCC
; (/S"signtool=signtool.exe sign /fd SHA256 /tr <timestamp URL> /td SHA256 /a $f")
; and uncomment:
; SignTool=signtool

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\pyinstaller\dist\linkwriter\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\LinkWriter"; Filename: "{app}\linkwriter-gui.exe"
Name: "{autodesktop}\LinkWriter"; Filename: "{app}\linkwriter-gui.exe"; Tasks: desktopicon

[Registry]
; "Open with > LinkWriter" for Markdown files, without taking over their default program.
Root: HKA; Subkey: "Software\Classes\LinkWriter.Markdown"; ValueType: string; ValueName: ""; ValueData: "Markdown post"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\LinkWriter.Markdown\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\linkwriter-gui.exe,0"
Root: HKA; Subkey: "Software\Classes\LinkWriter.Markdown\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\linkwriter-gui.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.md\OpenWithProgids"; ValueType: string; ValueName: "LinkWriter.Markdown"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.markdown\OpenWithProgids"; ValueType: string; ValueName: "LinkWriter.Markdown"; ValueData: ""; Flags: uninsdeletevalue

[Run]
Filename: "{app}\linkwriter-gui.exe"; Description: "{cm:LaunchProgram,LinkWriter}"; Flags: nowait postinstall skipifsilent
