# What `cmake --install` puts where, and the .deb CPack makes of it (`make package`).
# Included at the end of the top-level CMakeLists.txt.
#
#   bin/concur                                     the program
#   share/man/man1/concur.1.gz                     its manual page (docs/concur.1)
#   share/bash-completion/completions/concur       bash completion (completions/concur.bash)
#   share/zsh/vendor-completions/_concur           zsh completion (completions/_concur)
#
# tests/test_install.cpp keeps docs/concur.1 in step with the CLI's --help.
include(GNUInstallDirs)

# The manual page, compressed as Debian ships them (gzip -n: no name or time stamp, so the
# same page gives the same bytes).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(CONCUR_MANPAGE_GZ ${CMAKE_CURRENT_BINARY_DIR}/concur.1.gz)
add_custom_command(
  OUTPUT ${CONCUR_MANPAGE_GZ}
  COMMAND ${GZIP_EXECUTABLE} -9 -n -c ${PROJECT_SOURCE_DIR}/docs/concur.1 > ${CONCUR_MANPAGE_GZ}
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/concur.1
  COMMENT "Compressing the manual page concur.1"
  VERBATIM)
add_custom_target(concur_manpage ALL DEPENDS ${CONCUR_MANPAGE_GZ})

install(TARGETS concur RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CONCUR_MANPAGE_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/completions/concur.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME concur)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_concur DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# --- The .deb: build/<preset>/concur_VERSION-1_ARCH.deb, installed under /usr. Its Depends
# are the Debian packages of the shared libraries the binary links (dpkg-shlibdeps, from
# dpkg-dev: libfmt, libspdlog, libgmp, libstdc++, libc ...).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME concur)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "concur maintainers <concur@maintainers.invalid>"
    CACHE STRING "The Maintainer field of the .deb")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "the Python concurrency lecture's demos, re-enacted with real C++ threads")
# The long description, in lines dpkg shows as they are.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "concur re-enacts the demos of a Python concurrency lecture - threads, Lock,\n"
       "RLock, Semaphore, Event, Condition, queues, the race condition, the dining\n"
       "philosophers, pools, processes and asyncio - as real C++20 programs whose\n"
       "output looks like the lecture's. Every line is printed by the thread that\n"
       "does the thing, when it happens. It also explains each demo, prints its\n"
       "source, runs it deterministically from a seed, and checks what it shows.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the symbol table too: the package ships no debugging aids
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
