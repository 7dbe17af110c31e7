# The `cairn` command runs once per query (scripts call it in loops), and
# binding twenty shared libraries at start-up costs more than a query does:
# `cairn --version` took 24 ms of CPU here with ICU, OpenSSL, SQLite, zstd and
# Boost.Iostreams shared, 14 ms with them linked from Debian's static archives.
# So a target with the CAIRN_STATIC_DEPS property (the cairn executable) links
# those archives, while the hundred test programs keep the shared libraries
# (ICU's data alone would add 30 MB and a slow link to each of them).
#
#     cairn_link_dependency(TARGET SHARED_TARGETS ARCHIVES name... [SYSTEM lib...])
#
# links SHARED_TARGETS (a list of imported targets) PRIVATE to TARGET, or, for a
# consumer with CAIRN_STATIC_DEPS set, lib<name>.a for every name in order and
# then the SYSTEM libraries those archives need. When any archive is missing,
# or CAIRN_STATIC_CLI is OFF, the shared targets are used everywhere.
# $<TARGET_PROPERTY:CAIRN_STATIC_DEPS> is evaluated for the target being
# linked (the "head" target), which is what makes one static library serve both.
option(CAIRN_STATIC_CLI "Link the cairn executable against static archives where Debian has them" ON)

function(cairn_link_dependency target shared)
    cmake_parse_arguments(arg "" "" "ARCHIVES;SYSTEM" ${ARGN})
    set(archives "")
    foreach(name IN LISTS arg_ARCHIVES)
        find_library(CAIRN_ARCHIVE_${name} NAMES lib${name}.a)
        if(NOT CAIRN_ARCHIVE_${name})
            set(archives "")
            break()
        endif()
        list(APPEND archives ${CAIRN_ARCHIVE_${name}})
    endforeach()
    if(NOT CAIRN_STATIC_CLI OR NOT archives)
        target_link_libraries(${target} PRIVATE ${shared})
        return()
    endif()
    set(static "$<BOOL:$<TARGET_PROPERTY:CAIRN_STATIC_DEPS>>")
    # One item per call: a ';' inside a generator expression would split it.
    foreach(item IN LISTS shared)
        target_link_libraries(${target} PRIVATE "$<$<NOT:${static}>:${item}>")
        # Headers and definitions of the shared target, without its libraries.
        target_include_directories(${target} PRIVATE
                                   $<TARGET_PROPERTY:${item},INTERFACE_INCLUDE_DIRECTORIES>)
    endforeach()
    foreach(item IN LISTS archives arg_SYSTEM)
        target_link_libraries(${target} PRIVATE "$<${static}:${item}>")
    endforeach()
endfunction()
