// address_fuzzer: the structured header grammars of RFC 5322 — address lists
// (§3.4), msg-id lists (§3.6.4) and dates (§3.3) — on arbitrary bytes.

#include "fuzz_check.hpp"

#include <mime/address.hpp>
#include <mime/date.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cairn;
    const std::string_view value = fuzz::as_text(data, size);
    for (const mime::mailbox& m : mime::parse_address_list(value)) {
        fuzz::check(fuzz::utf8_ok(m.name), "display name is not UTF-8");
    }
    for (const std::string& id : mime::parse_message_ids(value)) {
        fuzz::check(id.size() <= value.size(), "message id longer than the value");
    }
    if (auto d = mime::parse_date(value)) {
        fuzz::check(d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31,
                    "date out of range");
        fuzz::check(d->hour >= 0 && d->hour <= 23 && d->minute >= 0 && d->minute <= 59 &&
                        d->second >= 0 && d->second <= 60,
                    "time out of range");
        (void)d->to_unix();
        fuzz::check(!d->to_rfc3339().empty(), "empty RFC 3339 date");
    }
    return 0;
}
