; CaseGuide's Windows installer (NSIS 3), for every account on the PC. Built and tried here under Wine by
;   scripts/windows-test.sh build
; which runs build_installer.py under Windows Python (dist\caseguide\) and then, on Linux,
;   makensis -DVERSION=X.Y.Z -DVERSION4=X.Y.Z.0 packaging/windows/caseguide.nsi
; Sign dist\CaseGuide-Setup-X.Y.Z.exe (and the programs inside, before this) with your organisation's
; code-signing certificate (signtool sign /fd sha256 /tr ...) so SmartScreen and antivirus trust it.
;
; It installs to C:\Program Files\CaseGuide, adds CaseGuide to the Start menu and to Apps (with an
; uninstaller), and makes C:\ProgramData\CaseGuide, where machine-wide settings, trusted publishers and
; packs live, changeable only by administrators (and SYSTEM): a folder made under C:\ProgramData
; otherwise inherits "Users may create files", and a visitor could then switch shared-PC mode off or
; trust their own publisher key. Uninstalling leaves that folder and what staff deployed in it.

; A 64-bit installer for a 64-bit program (NSIS's own default, x86, would need 32-bit Windows support).
Target amd64-unicode
ManifestDPIAware true
!ifndef VERSION
  !error "makensis -DVERSION=X.Y.Z -DVERSION4=X.Y.Z.0 packaging/windows/caseguide.nsi"
!endif
!ifndef VERSION4
  !define VERSION4 "${VERSION}.0"
!endif

!define APP "CaseGuide"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CaseGuide"
!define BUNDLE "..\..\dist\caseguide"

Name "${APP}"
OutFile "..\..\dist\CaseGuide-Setup-${VERSION}.exe"
InstallDir "$PROGRAMFILES64\${APP}"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
BrandingText "${APP} ${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!define MUI_ICON "..\..\build\installer\icons\caseguide.ico"
!define MUI_UNICON "..\..\build\installer\icons\caseguide.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\caseguidew.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${APP}"

Function .onInit
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetShellVarContext all
FunctionEnd

Section "${APP}" Main
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update replaces the whole program: nothing of an older version's files is left to be loaded.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  ; Start menu, for every account.
  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\caseguidew.exe" "" "$INSTDIR\caseguidew.exe" 0 \
      SW_SHOWNORMAL "" "Offline guides for people supporting migrants"

  ; Apps and features: name, version, uninstaller.
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\caseguidew.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1

  ; The machine-wide folder: administrators and SYSTEM change it, users read it. The owner becomes the
  ; Administrators group, in case someone without rights made the folder first (an owner may always
  ; change its permissions). SIDs, not names, so it works in every Windows language.
  CreateDirectory "$APPDATA\${APP}"
  nsExec::ExecToLog 'icacls "$APPDATA\${APP}" /setowner *S-1-5-32-544 /T /C /Q'
  Pop $0
  nsExec::ExecToLog 'icacls "$APPDATA\${APP}" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /T /C /Q'
  Pop $1
  ${If} $0 != 0
  ${OrIf} $1 != 0
    MessageBox MB_ICONSTOP "Could not limit $APPDATA\${APP} to administrators (icacls: $0, $1). \
        Without that, people who are not administrators could change CaseGuide's machine-wide settings \
        and trusted publishers. The installation is stopped." /SD IDOK
    Abort
  ${EndIf}
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; Only what the installer put there: never a recursive delete of a folder someone chose by mistake.
  IfFileExists "$INSTDIR\caseguide.exe" 0 done
    RMDir /r "$INSTDIR\_internal"
    RMDir /r "$INSTDIR\icons"
    Delete "$INSTDIR\caseguide.exe"
    Delete "$INSTDIR\caseguidew.exe"
    Delete "$INSTDIR\caseguide-quickexit.exe"
  done:
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
