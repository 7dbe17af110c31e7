# cairn_warnings(target): the project's warning set, applied per target so that
# third-party code we compile (none yet) keeps its own flags.
function(cairn_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wimplicit-fallthrough
        $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
        $<$<COMPILE_LANGUAGE:CXX>:-Wold-style-cast>
        # g++ 12 reports impossible memcpy overlaps inside std::string's operator+
        # at -O2 and above (GCC bug 105329, fixed in 13): noise, not findings.
        $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
    if(CAIRN_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
