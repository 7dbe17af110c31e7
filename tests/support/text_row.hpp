#pragma once
// One row of a table-driven test (STYLE.md §5): an input and the canonical
// text form of the result expected from it. gtest prints the input on failure.

#include <ostream>
#include <string_view>

namespace cairn::test {

struct text_row {
    std::string_view input;
    std::string_view expected;
};

inline std::ostream& operator<<(std::ostream& out, const text_row& row) {
    return out << '"' << row.input << '"';
}

} // namespace cairn::test
