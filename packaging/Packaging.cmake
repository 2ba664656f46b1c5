# SPDX-License-Identifier: EUPL-1.2
# Debian packages, one per install component (packaging/README.md):
#   fplan-data     templates, MeMo schema, example /etc/fplan/fplan.conf   (component data)
#   fplan          the command line program and the outbox timer           (component fplan)
#   fplan-desktop  the desktop program, its menu entry, icon, metainfo      (component desktop)
#   fplan-server   the case store server and its systemd unit              (component server)
# Each binary package gets a -dbgsym package with its debug symbols; the binaries themselves
# are stripped. Build with the `packaging` preset: cmake --build --preset packaging --target package

set(fplan_packaging_dir "${CMAKE_CURRENT_LIST_DIR}")

# Files that only exist for an installed program.
install(FILES "${fplan_packaging_dir}/fplan.conf"
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/fplan COMPONENT data)
install(FILES "${fplan_packaging_dir}/systemd/fplan-outbox.service"
              "${fplan_packaging_dir}/systemd/fplan-outbox.timer"
        DESTINATION lib/systemd/user COMPONENT fplan)
if(FPLAN_BUILD_GUI)
  install(FILES "${fplan_packaging_dir}/desktop/dk.familieplan.Familieplan.desktop"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT desktop)
  install(FILES "${fplan_packaging_dir}/desktop/dk.familieplan.Familieplan.metainfo.xml"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT desktop)
  install(FILES "${fplan_packaging_dir}/icons/familieplan.svg"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT desktop)
  foreach(size 16 32 48 64 128 256)
    install(FILES "${fplan_packaging_dir}/icons/familieplan-${size}.png"
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            RENAME familieplan.png COMPONENT desktop)
  endforeach()
endif()
if(TARGET fplan-server)
  install(FILES "${fplan_packaging_dir}/systemd/fplan-server.service"
          DESTINATION lib/systemd/system COMPONENT server)
  install(FILES "${fplan_packaging_dir}/systemd/server.env"
          DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/fplan/server COMPONENT server)
  install(FILES "${PROJECT_SOURCE_DIR}/docs/drift.md"
          DESTINATION ${CMAKE_INSTALL_DOCDIR}/../fplan-server COMPONENT server)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME familieplan)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Familieplan")
set(CPACK_PACKAGE_CONTACT "Familieplan packaging <packaging@familieplan.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
# Library dependencies come from dpkg-shlibdeps (exact sonames and versions of what is linked);
# data and program dependencies are listed per package below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The DEB generator moves the debug info of each unstripped ELF file into its -dbgsym package and
# strips the file itself (objcopy --strip-unneeded); CPACK_STRIP_FILES must stay off, or nothing
# unstripped is left for it and the -dbgsym packages are silently not made.
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_STRIP_FILES OFF)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(fplan_components data fplan)
if(FPLAN_BUILD_GUI)
  list(APPEND fplan_components desktop)
endif()
if(TARGET fplan-server)
  list(APPEND fplan_components server)
endif()
set(CPACK_COMPONENTS_ALL ${fplan_components})

set(CPACK_DEBIAN_DATA_PACKAGE_NAME fplan-data)
set(CPACK_DEBIAN_DATA_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DATA_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DATA_DEBUGINFO_PACKAGE OFF)
# The PDF fonts (Noto Sans, DejaVu for missing glyphs) and the sRGB profile PDF/A embeds.
set(CPACK_DEBIAN_DATA_PACKAGE_DEPENDS "fonts-noto-core, fonts-dejavu-core, icc-profiles-free")
set(CPACK_DEBIAN_DATA_PACKAGE_CONTROL_EXTRA "${fplan_packaging_dir}/debian/data/conffiles")
set(CPACK_COMPONENT_DATA_DESCRIPTION
    "Familieplan: templates, MeMo schema and machine settings\n"
    "The three document templates, the Digital Post (MeMo) schema and the machine-wide settings "
    "file /etc/fplan/fplan.conf shared by fplan and fplan-desktop.")

set(CPACK_DEBIAN_FPLAN_PACKAGE_NAME fplan)
set(CPACK_COMPONENT_FPLAN_DEPENDS data)
set(CPACK_COMPONENT_FPLAN_DESCRIPTION
    "Familieplan command line program\n"
    "fplan creates and edits cases in an encrypted store, renders PDFs, sends letters by "
    "Digital Post and backs up stores. Includes a systemd user timer that sends queued letters.")

set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME fplan-desktop)
set(CPACK_COMPONENT_DESKTOP_DEPENDS data)
set(CPACK_DEBIAN_DESKTOP_PACKAGE_RECOMMENDS "hunspell-da, fplan")
set(CPACK_DEBIAN_DESKTOP_PACKAGE_SECTION editors)
set(CPACK_COMPONENT_DESKTOP_DESCRIPTION
    "Familieplan desktop program for family teams\n"
    "Write the family assessment, the family plan and the follow-up meeting agenda together, "
    "kept in an encrypted case store, and send the plan by Digital Post.")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME fplan-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, systemd")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "postgresql")
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${fplan_packaging_dir}/debian/server/conffiles"
    "${fplan_packaging_dir}/debian/server/postinst"
    "${fplan_packaging_dir}/debian/server/prerm"
    "${fplan_packaging_dir}/debian/server/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "Familieplan case store server\n"
    "Lets the desktops of a family team share cases over TLS; runs as the fplan system user with "
    "its settings in /etc/fplan/server and its data in /var/lib/fplan.")

include(CPack)
