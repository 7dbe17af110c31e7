include(GoogleTest)

# cairn_add_test(NAME SOURCES a.cpp b.cpp LIBS lib...)
# One GoogleTest executable per concern; each TEST becomes its own ctest entry.
function(cairn_add_test name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} cairn_test_support GTest::gtest_main)
    cairn_warnings(${name})
    gtest_discover_tests(${name}
        WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
        PROPERTIES ENVIRONMENT "CAIRN_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
        DISCOVERY_TIMEOUT 60)
endfunction()
