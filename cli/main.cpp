#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    CLI::App app{"cairn: an email archive"};
    app.set_version_flag("--version", "cairn 0.1.0");
    CLI11_PARSE(app, argc, argv);
    return 0;
}
