# ASan + UBSan for the whole build when CAIRN_SANITIZE is on. Recovery is off so
# that any report fails the test that triggered it.
if(CAIRN_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS)
    add_link_options(-fsanitize=address,undefined)
endif()
