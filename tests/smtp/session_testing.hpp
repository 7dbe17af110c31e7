#pragma once
// The dialogue driver shared by the session tests: feeds a script of client
// chunks to an smtp::session the way the network shell will (keeping what
// feed() did not consume, answering messages), and records a canonical log.

#include <smtp/reply.hpp>
#include <smtp/session.hpp>

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::smtp::test {

struct dialogue {
    std::string_view name;
    session_config config;
    std::vector<std::string> script; ///< client chunks, "!v 250,452" verdicts, "!tls"
    std::string expected;            ///< reply codes, "M" per message, "closed"
};

inline std::ostream& operator<<(std::ostream& out, const dialogue& d) {
    return out << d.name;
}

struct transcript {
    std::string log;
    std::string output; ///< every reply, verbatim
    std::vector<message_ready> messages;
};

inline std::vector<verdict> parse_verdicts(std::string_view spec) {
    std::vector<verdict> out;
    std::size_t pos = 3; // after "!v "
    while (pos < spec.size()) {
        const std::size_t comma = std::min(spec.find(',', pos), spec.size());
        out.push_back(verdict{std::stoi(std::string(spec.substr(pos, comma - pos))), {}, {}});
        pos = comma + 1;
    }
    return out;
}

inline transcript run(const dialogue& d) {
    transcript t;
    session s(d.config);
    std::string pending;
    auto collect = [&] {
        const std::string out = s.take_output();
        EXPECT_TRUE(well_formed_replies(out)) << out;
        for (const int code : reply_codes(out)) {
            t.log += std::to_string(code) + " ";
        }
        t.output += out;
    };
    s.greeting();
    collect();
    for (std::size_t i = 0; i < d.script.size(); ++i) {
        const std::string& step = d.script[i];
        if (step.rfind("!v ", 0) == 0) {
            s.deliver_result(parse_verdicts(step));
        } else if (step == "!tls") {
            s.tls_started();
        } else {
            pending += step;
        }
        for (;;) {
            pending.erase(0, s.feed(pending));
            collect();
            if (auto m = s.take_message()) {
                t.log += "M ";
                t.messages.push_back(std::move(*m));
            }
            const bool explicit_verdict =
                i + 1 < d.script.size() && d.script[i + 1].rfind("!v ", 0) == 0;
            if (!s.awaiting_verdict() || explicit_verdict) {
                break;
            }
            s.deliver_result(verdict{}); // the default: archived, 250
        }
    }
    if (s.closed()) {
        t.log += "closed ";
    }
    if (!t.log.empty()) {
        t.log.pop_back();
    }
    return t;
}

} // namespace cairn::smtp::test
