#include <mime/html_text.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace {

using namespace std::string_view_literals;
using cairn::mime::html_to_text;

struct html_case {
    const char* name;
    std::string_view html;
    std::string_view text;
};

std::ostream& operator<<(std::ostream& os, const html_case& c) {
    return os << c.name;
}

// The rules every output must keep, whatever the input (see html_text.hpp).
void expect_output_rules(std::string_view text) {
    EXPECT_FALSE(text.starts_with('\n')) << "leading blank line";
    EXPECT_FALSE(text.ends_with('\n')) << "trailing line end";
    EXPECT_EQ(text.find("\n\n\n"), std::string_view::npos) << "two blank lines in a row";
    EXPECT_EQ(text.find(" \n"), std::string_view::npos) << "trailing space on a line";
    EXPECT_EQ(text.find("\t\n"), std::string_view::npos) << "trailing tab on a line";
    EXPECT_FALSE(text.ends_with(' ')) << "trailing space";
}

const html_case html_cases[] = {
    // --- text and whitespace -------------------------------------------------
    {"plain_text", "Hello world", "Hello world"},
    {"whitespace_collapses", "  Hello \n\t  world  \r\n", "Hello world"},
    {"crlf_in_text_is_space", "a\r\nb", "a b"},
    {"inline_tags_join", "Hel<b>lo</b> w<span class=x>orld</span>", "Hello world"},
    {"nul_dropped", "a\0b"sv, "ab"},
    {"cjk_text", "<p>日本語のテキスト</p><p>中文&nbsp;内容，한국어</p>",
     "日本語のテキスト\n\n中文 内容，한국어"},
    {"emoji_passes", "Hi 👋<br>bye", "Hi 👋\nbye"},

    // --- blocks and line breaks ----------------------------------------------
    {"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
    {"br_forms", "a<br>b<br/>c<BR >d<br class=\"x\" />e", "a\nb\nc\nd\ne"},
    {"br_runs_leave_one_blank_line", "a<br><br><br><br>b", "a\n\nb"},
    {"end_br_is_br", "a</br>b", "a\nb"},
    {"divs", "<div>a</div><div>b</div>", "a\nb"},
    // Gmail writes an empty line as <div><br></div>.
    {"gmail_blank_line", "<div>a</div><div><br></div><div>b</div>", "a\n\nb"},
    {"br_closing_a_block_adds_nothing", "<div>a<br></div><div>b</div>", "a\nb"},
    {"uppercase_tags", "<P>One<DIV>Two</DIV></P>", "One\nTwo"},
    {"headings", "<h1>Title</h1>Body<h3>Sub</h3>", "Title\n\nBody\n\nSub"},
    {"blockquote", "Hi<blockquote>quoted</blockquote>Bye", "Hi\n\nquoted\n\nBye"},
    {"hr", "a<hr>b", "a\nb"},
    {"stray_end_p", "a</p>b", "a\n\nb"},
    {"definition_list", "<dl><dt>Term</dt><dd>Meaning</dd></dl>", "Term\nMeaning"},
    {"no_blank_lines_at_ends", "\n\n<p></p><br><br><p>x</p><br><br>\n", "x"},
    {"only_markup", "<p><br></p><div></div>", ""},

    // --- lists and tables ----------------------------------------------------
    {"list_items", "<ul><li>one</li><li>two<li>three</ul>after", "- one\n- two\n- three\nafter"},
    {"empty_list_item", "<ul><li></li><li> x </li></ul>", "- x"},
    {"paragraph_in_list_item", "<ol><li><p>a</p></li><li><p>b</p></li></ol>", "- a\n\n- b"},
    {"table_cells", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td> d </td></tr></table>",
     "a\tb\nc\td"},
    {"newsletter_layout", R"(<table width="100%" cellpadding="0"><tr><td align="center">
  <table width="600"><tr><td class="header"><img src="logo.png" alt="Logo"></td></tr>
  <tr><td><h2 style="margin:0">Big Sale</h2><p>Save 50%&nbsp;today.</p></td></tr>
  <tr><td><a href="https://x.example/?a=1&amp;b=2">Shop now</a> | <a href="u">Unsubscribe</a>
  </td></tr></table>
</td></tr></table>)",
     "Big Sale\n\nSave 50% today.\n\nShop now | Unsubscribe"},

    // --- Outlook -------------------------------------------------------------
    {"outlook_o_p",
     "<p class=MsoNormal>Hello<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
     "<p class=MsoNormal>Regards<o:p></o:p></p>",
     "Hello\n\nRegards"},
    {"conditional_comments",
     "<!--[if mso]><table><tr><td>MSO only</td></tr></table><![endif]--><p>Everyone</p>"
     "<!--[if !mso]><!-- --><p>Not MSO</p><!--<![endif]-->",
     "Everyone\n\nNot MSO"},
    {"downlevel_revealed", "<![if !vml]><img src=x><![endif]>Text", "Text"},
    {"outlook_head",
     R"(<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8">
<style>p.MsoNormal{margin:0}</style><!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit"
spidmax="1026" /></xml><![endif]--></head><body lang=EN-US><div class=WordSection1>
<p class=MsoNormal>Hi Bob,<o:p></o:p></p></div></body></html>)",
     "Hi Bob,"},
    {"xml_island",
     "<xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch>"
     "</o:OfficeDocumentSettings></xml>Body",
     "Body"},

    // --- dropped content -----------------------------------------------------
    {"head_dropped", "<html><head><title>Subject</title><meta name=x>stray</head><body>Body",
     "Body"},
    {"head_without_end_keeps_body", "<head><title>T</title><p>Visible", "Visible"},
    // "</header" and "<bodyx" do not end a head; with no real end, nothing is dropped.
    {"head_ends_only_at_real_tags", "<head><title>T</title><header>Top</header><bodyx>Body",
     "Top\nBody"},
    {"script_with_end_tags_inside",
     "<div>a<script>var s = \"</div><p>not text</p>\"; if (a < b) {}</script>b</div>", "ab"},
    {"style", "<style type=\"text/css\">p { color: red; } /* </p> */</style><p>Text</p>", "Text"},
    {"unterminated_script", "before<SCRIPT>alert(1)", "before"},
    {"script_end_tag_needs_delimiter", "<script>x</scriptx>y</SCRIPT >z", "z"},
    {"title_in_body", "<body><title>x</title>y", "y"},
    {"noscript_kept", "<noscript>Enable JS</noscript>", "Enable JS"},
    {"comments", "a<!-- hidden -->b<!---->c<!-->d<!--->e<!-- x --!>f", "abcdef"},
    {"unterminated_comment", "visible<!-- never closed <p>hidden", "visible"},
    {"declarations",
     "<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">"
     "<p>x<![CDATA[ hidden > still ]]>y</p>",
     "xy"},
    {"empty_and_bogus_end_tags", "a</>b</ 3>c", "abc"},

    // --- broken markup -------------------------------------------------------
    {"unclosed_elements", "<p>unclosed <b>bold <i>both", "unclosed bold both"},
    {"lone_less_than", "a < b and c > d", "a < b and c > d"},
    {"double_less_than", "<<p>>x", "<\n\n>x"},
    {"stray_greater_than", "a > b >> c", "a > b >> c"},
    {"quoted_greater_than", "<a title=\"a>b\" href='c>d'>link</a> text", "link text"},
    {"unterminated_quote", "<a title=\"oops>link</a> more", "link more"},
    {"tag_open_at_end", "if a<b then", "if a<b then"},
    {"less_than_digit", "x <5 y", "x <5 y"},

    // --- character references -----------------------------------------------
    {"named_refs", "&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos; &copy; &reg; &trade; &euro;",
     "<tag> & \"q\" 'a' © ® ™ €"},
    {"punctuation_refs", "&hellip;&mdash;&ndash;&bull; &lsquo;a&rsquo; &ldquo;b&rdquo;",
     "…—–• ‘a’ “b”"},
    {"invisible_refs", "a&zwnj;b&zwj;c&lrm;d&rlm;e", "a\u200Cb\u200Dc\u200Ed\u200Fe"},
    {"html5_refs", "&NotEqualTilde; &bigstar; &fjlig;", "\u2242\u0338 \u2605 fj"},
    // WHATWG: legacy names match without ';', the longest prefix wins.
    {"legacy_without_semicolon", "&amp &lt &gt &quot &copy2024 &notit; AT&T &ampx",
     "& < > \" ©2024 ¬it; AT&T &x"},
    {"unknown_refs_kept", "&foo; &unknown &; & x &#; &#x; &#xZ; &Amp;",
     "&foo; &unknown &; & x &#; &#x; &#xZ; &Amp;"},
    {"nbsp_is_space", "a&nbsp;&nbsp;&nbsp;b&nbsp;c\u00A0\u00A0d&nbsp", "a b c d"},
    {"numeric_refs", "&#65;&#x42;&#X43;&#0068 &#x1F600; &#128512;", "ABCD 😀 😀"},
    {"invalid_code_points", "&#0;|&#xD800;|&#x110000;|&#99999999999999999999;",
     "\uFFFD|\uFFFD|\uFFFD|\uFFFD"},
    {"windows_1252_remap", "&#128;&#150;&#151;&#153;&#x92;&#x81;", "€–—™’\u0081"},
    {"whitespace_refs", "a&#10;&#9;&Tab;b&NewLine;c", "a b c"},

    // --- <pre> ---------------------------------------------------------------
    {"pre_keeps_spaces", "<pre>\n  code\n    indented\n\n\n\nend  </pre>after",
     "  code\n    indented\n\nend\n\nafter"},
    {"pre_crlf", "<pre>a\r\nb\r\n</pre>", "a\nb"},
    {"pre_entities", "<PRE>&lt;x&gt;\t &amp;</PRE>", "<x>\t &"},
    {"pre_br", "<pre>a<br>b</pre>", "a\nb"},
    {"pre_nbsp", "<pre>a&nbsp;&nbsp;b</pre>", "a  b"},
};

class html_table : public ::testing::TestWithParam<html_case> {};

TEST_P(html_table, converts) {
    const html_case& c = GetParam();
    const std::string text = html_to_text(c.html);
    EXPECT_EQ(text, c.text);
    expect_output_rules(text);
}

INSTANTIATE_TEST_SUITE_P(html_text, html_table, ::testing::ValuesIn(html_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(html_text, appends_to_existing_output) {
    std::string out = "subject\n";
    cairn::mime::html_to_text("<p>body</p><p></p>", out);
    EXPECT_EQ(out, "subject\nbody");
}

TEST(html_text, every_entity_in_the_html4_set_decodes) {
    // A sample across the HTML 4 lists (Latin-1, symbols, special).
    EXPECT_EQ(html_to_text("&Aacute;&yuml;&thetasym;&alefsym;&lArr;&diams;&OElig;&zwj;&rsaquo;"),
              "Áÿϑℵ⇐♦Œ\u200D›");
}

std::string repeat(std::string_view unit, std::size_t times) {
    std::string s;
    s.reserve(unit.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        s.append(unit);
    return s;
}

// The tests below feed 1 MB inputs. A scan that restarted from each '<' or '&'
// would take hours on them, so finishing at all is the linear-time check; the
// assertions pin the output.
constexpr std::size_t one_mb = 1 << 20;

TEST(html_text, large_newsletter_table) {
    constexpr std::string_view row = "<tr><td>Item &amp; co</td><td>&#x20AC;5</td></tr>\n";
    const std::size_t rows = one_mb / row.size() + 1;
    std::string expected = repeat("Item & co\t€5\n", rows);
    expected.pop_back();
    EXPECT_EQ(html_to_text("<table>" + repeat(row, rows) + "</table>"), expected);
}

TEST(html_text, large_unterminated_tags_are_text) {
    const std::string input = repeat("<a b=\"", one_mb / 6);
    EXPECT_EQ(html_to_text(input), input);
    const std::string lts = repeat("<a", one_mb / 2);
    EXPECT_EQ(html_to_text(lts), lts);
}

TEST(html_text, large_unterminated_declarations) {
    const std::string cdata = repeat("<![CDATA[", one_mb / 9);
    EXPECT_EQ(html_to_text(cdata), cdata);
    const std::string refs = repeat("&#&x&nota", one_mb / 9);
    EXPECT_EQ(html_to_text(refs), repeat("&#&x¬a", one_mb / 9));
}

TEST(html_text, large_unclosed_script_and_deep_nesting) {
    EXPECT_EQ(html_to_text("x<script>" + repeat("</scrip", one_mb / 7)), "x");
    EXPECT_EQ(html_to_text(repeat("<div>", one_mb / 10) + "deep" + repeat("</div>", one_mb / 10)),
              "deep");
    EXPECT_EQ(html_to_text(repeat("<a title='x>y'>", one_mb / 16) + "z"), "z");
}

} // namespace
