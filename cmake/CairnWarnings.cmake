# cairn_warnings(target): the project's warning set, applied per target so that
# third-party code we compile (none yet) keeps its own flags.
function(cairn_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
        $<$<COMPILE_LANGUAGE:CXX>:-Wold-style-cast>)
    if(CAIRN_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
