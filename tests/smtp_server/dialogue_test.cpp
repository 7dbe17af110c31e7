// Reply codes of a live listener over a real socket, one connection per case:
// commands in and out of sequence (503), syntax (501), unknown commands (500),
// limits, pipelining, SIZE, BDAT, smuggling separators. The script is sent as
// separate writes without waiting (the server must cope with any split and
// with pipelining), then the replies after the greeting are read and compared.
#include "smtp_server/server_testing.hpp"

#include <iterator>
#include <sstream>

namespace {

using cairn::test::live_server;

struct dialogue {
    const char* name;
    std::vector<std::string> script;
    const char* codes; ///< every reply after the 220 greeting
};

const std::string ehlo = "EHLO client.example\r\n";
const std::string mail = "MAIL FROM:<sender@example.com>\r\n";
const std::string rcpt = "RCPT TO:<archive@example.org>\r\n";
const std::string data = "DATA\r\n";
const std::string body = "Subject: x\r\n\r\nhello\r\n.\r\n";

std::size_t count_codes(const std::string& codes) {
    std::istringstream in(codes);
    return static_cast<std::size_t>(std::distance(std::istream_iterator<std::string>(in),
                                                  std::istream_iterator<std::string>()));
}

std::vector<dialogue> dialogues() {
    return {
        {"unknown_command", {"FROB\r\n"}, "500"},
        {"empty_line", {"\r\n"}, "500"},
        {"mail_before_ehlo", {mail}, "503"},
        {"rcpt_before_mail", {ehlo, rcpt}, "250 503"},
        {"data_before_mail", {ehlo, data}, "250 503"},
        {"data_before_rcpt", {ehlo, mail, data}, "250 250 503"},
        {"nested_mail", {ehlo, mail, mail}, "250 250 503"},
        {"mail_without_brackets", {ehlo, "MAIL FROM:sender@example.com\r\n"}, "250 501"},
        {"rcpt_bad_path", {ehlo, mail, "RCPT TO:<a@@b>\r\n"}, "250 250 501"},
        {"ehlo_without_domain", {"EHLO\r\n"}, "501"},
        {"helo_then_mail", {"HELO client.example\r\n", mail}, "250 250"},
        {"lhlo_on_smtp", {"LHLO client.example\r\n"}, "500"},
        {"rset_noop_vrfy_help",
         {ehlo, "RSET\r\n", "NOOP\r\n", "VRFY someone\r\n", "HELP\r\n"},
         "250 250 250 252 214"},
        {"rset_ends_transaction", {ehlo, mail, "RSET\r\n", rcpt}, "250 250 250 503"},
        {"command_line_too_long",
         {ehlo, "NOOP " + std::string(600, 'x') + "\r\n", "NOOP\r\n"},
         "250 500 250"},
        {"unknown_mail_parameter", {ehlo, "MAIL FROM:<a@b.example> FROB=1\r\n"}, "250 555"},
        {"size_parameter_too_big",
         {ehlo, "MAIL FROM:<a@b.example> SIZE=999999999999\r\n"},
         "250 552"},
        {"size_parameter_ok", {ehlo, "MAIL FROM:<a@b.example> SIZE=1000\r\n"}, "250 250"},
        {"quit", {ehlo, "QUIT\r\n"}, "250 221"},
        {"full_transaction", {ehlo, mail, rcpt, data, body, "QUIT\r\n"}, "250 250 250 354 250 221"},
        {"pipelined_batch_in_one_write",
         {ehlo + mail + rcpt + rcpt + data, body},
         "250 250 250 250 354 250"},
        {"two_messages_one_session",
         {ehlo, mail, rcpt, data, body, mail, rcpt, data, body},
         "250 250 250 354 250 250 250 354 250"},
        {"text_line_too_long",
         {ehlo, mail, rcpt, data, std::string(1200, 'a') + "\r\n.\r\n", "NOOP\r\n"},
         "250 250 250 354 500 250"},
        {"bdat_chunks",
         {ehlo, mail, rcpt, "BDAT 5\r\nSubj:", "BDAT 6 LAST\r\n x\r\n\r\n"},
         "250 250 250 250 250"},
        {"bdat_zero_last",
         {ehlo, mail, rcpt, "BDAT 3\r\nabcBDAT 0 LAST\r\n"},
         "250 250 250 250 250"},
        {"bdat_before_mail", {ehlo, "BDAT 6\r\nQUIT\r\n", "NOOP\r\n"}, "250 503 250"},
        {"data_after_bdat",
         {ehlo, mail, rcpt, "BDAT 2\r\nab", data, "BDAT 0 LAST\r\n"},
         "250 250 250 250 503 250"},
        {"bdat_after_data",
         {ehlo, mail, rcpt, data, body, "BDAT 4 LAST\r\nQUIT", "NOOP\r\n"},
         "250 250 250 354 250 503 250"},
        {"starttls_not_offered", {ehlo, "STARTTLS\r\n"}, "250 454"},
        {"lf_dot_lf_does_not_end_data",
         {ehlo, mail, rcpt, data, "Subject: s\r\n\r\nA\n.\nMAIL FROM:<evil@x.example>\n", body},
         "250 250 250 354 250"},
        {"cr_dot_cr_does_not_end_data",
         {ehlo, mail, rcpt, data, "Subject: s\r\n\r\nA\r.\rRSET\r", body},
         "250 250 250 354 250"},
        {"helo_client_sending_content_early",
         {"HELO client.example\r\n", mail, rcpt, data + "Subject: x\r\n"},
         "250 250 250 554"},
        {"too_many_errors", std::vector<std::string>(20, "FROB\r\n"),
         "500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 421"},
    };
}

class dialogue_test : public ::testing::TestWithParam<dialogue> {
protected:
    static void SetUpTestSuite() { server_ = new live_server(); }

    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }

    static live_server* server_;
};

live_server* dialogue_test::server_ = nullptr;

TEST_P(dialogue_test, replies) {
    const dialogue& d = GetParam();
    auto client = server_->connect();
    for (const auto& step : d.script) {
        ASSERT_TRUE(client.send(step));
    }
    EXPECT_EQ(client.codes(count_codes(d.codes)), d.codes);
}

INSTANTIATE_TEST_SUITE_P(live, dialogue_test, ::testing::ValuesIn(dialogues()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

} // namespace
