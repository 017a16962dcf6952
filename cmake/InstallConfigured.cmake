# feedmerge_install_configured(TEMPLATE DESTINATION)
#
# Installs TEMPLATE (minus its ".in") to DESTINATION, configured in two
# steps. Now, at configure time, every @VAR@ but the install paths is filled
# in. The install paths, @FEEDMERGE_PREFIX@ and @FEEDMERGE_BINDIR@, are
# filled in when the file is installed, from the prefix in force then: so
# `cmake --install BUILD --prefix DIR` writes DIR into the installed
# feedmerge.pc and systemd unit, not the prefix the build was configured
# with. (DESTDIR staging leaves the prefix alone, as it should.)
function(feedmerge_install_configured template destination)
  get_filename_component(name "${template}" NAME)
  string(REGEX REPLACE "\\.in$" "" name "${name}")
  set(half "${CMAKE_CURRENT_BINARY_DIR}/install-templates/${name}.in")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/install-files/${name}")

  # Left for install time: configure_file puts these strings back as they were.
  set(FEEDMERGE_PREFIX "@FEEDMERGE_PREFIX@")
  set(FEEDMERGE_BINDIR "@FEEDMERGE_BINDIR@")
  configure_file("${template}" "${half}" @ONLY)

  if(IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}")
    set(bindir "${CMAKE_INSTALL_BINDIR}")
  else()
    set(bindir "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}")
  endif()
  install(CODE "
    set(FEEDMERGE_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    set(FEEDMERGE_BINDIR \"${bindir}\")
    configure_file(\"${half}\" \"${out}\" @ONLY)
  ")
  install(FILES "${out}" DESTINATION "${destination}")
endfunction()
