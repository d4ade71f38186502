#include "transport/mail/html_text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "transport/http/utf8.hpp"

namespace soporte::transport::mail {
namespace {

// Quote marks and list indentation stop growing past this depth, so that the prefix of each
// line stays short whatever the nesting.
constexpr int kMaxPrefixLevels = 8;

enum class Layout { kInline, kBlock, kParagraph, kSkip };

Layout LayoutOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_APPLET: return Layout::kSkip;
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: return Layout::kParagraph;
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_TEXTAREA: return Layout::kBlock;
    default: return Layout::kInline;
  }
}

bool IsPreformatted(GumboTag tag) {
  return tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_XMP ||
         tag == GUMBO_TAG_PLAINTEXT || tag == GUMBO_TAG_TEXTAREA;
}

const char* Attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A link target as a reader compares it with the link's text: no scheme, no trailing slash.
std::string Comparable(std::string_view url) {
  std::string u = Lower(url);
  for (std::string_view scheme : {"mailto:", "https://", "http://", "tel:"}) {
    if (u.starts_with(scheme)) {
      u.erase(0, scheme.size());
      break;
    }
  }
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

// Lays the tree out as text. Spacing is decided lazily: block boundaries and spaces only become
// characters when the next piece of text arrives, so nothing trails and nothing doubles.
class TextWriter {
 public:
  // The text, valid UTF-8: gumbo 0.10.1 turns an overflowing numeric reference such as
  // "&#x1F600dddddddddddd;" into a lone byte (found by html_text_fuzz), so its output is checked.
  std::string Take() {
    while (!out_.empty() && std::isspace(static_cast<unsigned char>(out_.back()))) out_.pop_back();
    if (!http::IsValidUtf8(out_)) return http::ToValidUtf8(out_);
    return std::move(out_);
  }

  void Break(int lines) { breaks_ = std::max(breaks_, lines); }
  void LineBreak() { breaks_ = std::min(breaks_ + 1, 2); }

  // Text outside <pre>: runs of white space (and U+00A0) become one pending space.
  void Text(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t ws = SpaceAt(text, i);
      if (ws > 0) {
        space_ = true;
        i += ws;
        continue;
      }
      std::size_t j = i;
      while (j < text.size() && SpaceAt(text, j) == 0) ++j;
      Word(text.substr(i, j - i));
      i = j;
    }
  }

  // Text inside <pre>: spaces kept, each line feed a line break.
  void Preformatted(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
      const auto nl = text.find('\n', i);
      const std::string_view line = text.substr(i, nl == std::string_view::npos ? nl : nl - i);
      if (!line.empty()) {
        Flush();
        Append(line);
      }
      if (nl == std::string_view::npos) break;
      ApplyBreaks();
      TrimLineEnd();
      if (!out_.empty()) {  // leading blank lines of the text are dropped like the others
        out_.push_back('\n');
        line_start_ = true;
        space_ = false;
      }
      i = nl + 1;
    }
  }

  void Word(std::string_view word) {
    Flush();
    Append(word);
  }

  void EnterQuote() { ++quote_depth_; }
  void LeaveQuote() { --quote_depth_; }

  void EnterList(bool ordered, int start) { lists_.push_back({ordered, start}); }
  void LeaveList() {
    if (!lists_.empty()) lists_.pop_back();
  }
  void EnterItem() {
    Break(1);
    if (lists_.empty()) {
      bullet_ = "- ";
    } else if (lists_.back().ordered) {
      bullet_ = std::to_string(lists_.back().next++) + ". ";
    } else {
      bullet_ = "- ";
    }
  }

  void EnterRow() { rows_.push_back(out_.size()); }
  void LeaveRow() {
    if (!rows_.empty()) rows_.pop_back();
    Break(1);
  }
  // A cell after one that had text gets a separator before its own first text.
  void EnterCell() {
    if (!rows_.empty() && out_.size() > rows_.back()) cell_separator_ = true;
    space_ = true;
  }

  void EnterLink(std::string href) { links_.push_back({std::move(href), out_.size(), true}); }
  void LeaveLink() {
    if (links_.empty()) return;
    Link link = std::move(links_.back());
    links_.pop_back();
    std::string_view href = link.href;
    const std::string scheme = Lower(href.substr(0, 11));
    if (href.empty() || href.front() == '#' || scheme.starts_with("javascript:") ||
        scheme.starts_with("cid:"))
      return;
    std::string_view text;
    if (!link.start_pending && link.start <= out_.size())
      text = std::string_view(out_).substr(link.start);
    const std::string shown = Comparable(text);
    if (!shown.empty() && (shown == Comparable(href) || shown == Lower(href))) return;
    if (!shown.empty()) {
      space_ = true;
      std::string shown_target = "(";  // not "(" + std::string: GCC 12 -Wrestrict (PR 105329)
      shown_target.append(href).append(")");
      Word(shown_target);
    } else {
      Word(href);
    }
  }

  // Whether text was written after `mark` (a position taken with Mark()).
  std::size_t Mark() const { return out_.size(); }
  bool WroteSince(std::size_t mark) const { return out_.size() > mark; }

 private:
  struct List {
    bool ordered;
    int next;
  };
  struct Link {
    std::string href;
    std::size_t start;
    bool start_pending;  // the text starts at the first word written inside the link
  };

  static std::size_t SpaceAt(std::string_view s, std::size_t i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (c == '\xc2' && i + 1 < s.size() && s[i + 1] == '\xa0') return 2;  // U+00A0
    return 0;
  }

  void TrimLineEnd() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  }

  // Ends the line (and adds a blank one) as the pending block boundaries ask.
  void ApplyBreaks() {
    if (breaks_ == 0) return;
    TrimLineEnd();  // may leave nothing: <pre> can write a line of spaces only
    int have = 0;
    for (auto it = out_.rbegin(); it != out_.rend() && *it == '\n' && have < 2; ++it) ++have;
    if (!out_.empty()) {
      for (; have < breaks_; ++have) out_.push_back('\n');
    }
    breaks_ = 0;
    line_start_ = true;
    cell_separator_ = false;
  }

  // Writes what is pending before the next text: line breaks, the line's prefix, a separator.
  void Flush() {
    if (out_.empty()) {
      breaks_ = 0;
      space_ = false;
      cell_separator_ = false;
    }
    if (cell_separator_ && !line_start_) {
      breaks_ =
          0;  // the blocks around a cell's content (Outlook's <p> in every <td>) stay on the row
    }
    ApplyBreaks();
    if (line_start_) {
      for (int q = 0; q < std::min(quote_depth_, kMaxPrefixLevels); ++q) out_ += "> ";
      if (!lists_.empty())
        out_.append(2 * std::min<std::size_t>(lists_.size() - 1, kMaxPrefixLevels), ' ');
      if (!bullet_.empty()) {
        out_ += bullet_;
      } else if (!lists_.empty()) {
        out_ += "  ";  // continuation of an item lines up with its text
      }
    } else if (cell_separator_) {
      TrimLineEnd();
      out_ += " | ";
    } else if (space_) {
      out_.push_back(' ');
    }
    bullet_.clear();
    breaks_ = 0;
    space_ = false;
    cell_separator_ = false;
    line_start_ = false;
    if (!links_.empty() && links_.back().start_pending) {
      links_.back().start = out_.size();
      links_.back().start_pending = false;
    }
  }

  void Append(std::string_view s) { out_.append(s.data(), s.size()); }

  std::string out_;
  int breaks_ = 0;
  bool space_ = false;
  bool line_start_ = true;
  bool cell_separator_ = false;
  int quote_depth_ = 0;
  std::string bullet_;
  std::vector<List> lists_;
  std::vector<std::size_t> rows_;  // out_ size when each open row began
  std::vector<Link> links_;
};

// Outlook's <p class=MsoNormal> has no margins: one line each (an empty one is a blank line).
bool IsMsoNormal(const GumboElement& e) {
  if (e.tag != GUMBO_TAG_P) return false;
  const char* cls = Attribute(e, "class");
  return cls && Lower(cls).find("msonormal") != std::string::npos;
}

Layout LayoutOf(const GumboElement& e) { return IsMsoNormal(e) ? Layout::kBlock : LayoutOf(e.tag); }

struct Frame {
  const GumboNode* node;
  unsigned next_child = 0;
  std::size_t mark = 0;  // writer position when the element opened
};

void Open(const GumboNode& node, TextWriter& w, int& pre_depth, Frame& frame) {
  const GumboElement& e = node.v.element;
  frame.mark = w.Mark();
  const Layout layout = LayoutOf(e);
  if (layout == Layout::kParagraph) w.Break(2);
  if (layout == Layout::kBlock) w.Break(1);
  if (IsPreformatted(e.tag)) ++pre_depth;
  switch (e.tag) {
    case GUMBO_TAG_BR: w.LineBreak(); break;
    case GUMBO_TAG_BLOCKQUOTE: w.EnterQuote(); break;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR: w.EnterList(false, 1); break;
    case GUMBO_TAG_OL: {
      int start = 1;
      if (const char* s = Attribute(e, "start")) {
        int v = 0;
        bool ok = *s != '\0';
        for (const char* p = s; *p && ok; ++p) {
          ok = std::isdigit(static_cast<unsigned char>(*p)) && v < 100000;
          v = v * 10 + (*p - '0');
        }
        if (ok) start = v;
      }
      w.EnterList(true, start);
      break;
    }
    case GUMBO_TAG_LI: w.EnterItem(); break;
    case GUMBO_TAG_TR: w.EnterRow(); break;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: w.EnterCell(); break;
    case GUMBO_TAG_A: {
      std::string href;
      if (const char* h = Attribute(e, "href")) {
        for (const char* p = h; *p; ++p)
          if (!std::isspace(static_cast<unsigned char>(*p))) href.push_back(*p);
      }
      w.EnterLink(std::move(href));
      break;
    }
    default: break;
  }
}

void Close(const GumboNode& node, TextWriter& w, int& pre_depth, const Frame& frame) {
  const GumboElement& e = node.v.element;
  switch (e.tag) {
    case GUMBO_TAG_BLOCKQUOTE: w.LeaveQuote(); break;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_OL: w.LeaveList(); break;
    case GUMBO_TAG_TR: w.LeaveRow(); break;
    case GUMBO_TAG_A: w.LeaveLink(); break;
    default: break;
  }
  if (IsPreformatted(e.tag)) --pre_depth;
  if (IsMsoNormal(e) && !w.WroteSince(frame.mark)) w.Break(2);
  const Layout layout = LayoutOf(e);
  if (layout == Layout::kParagraph) w.Break(2);
  if (layout == Layout::kBlock) w.Break(1);
}

struct OutputDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  if (html.size() > kMaxHtmlToParse) {
    std::size_t n = kMaxHtmlToParse;
    while (n > 0 && (static_cast<unsigned char>(html[n]) & 0xC0) == 0x80) --n;
    html = html.substr(0, n);
  }
  // Every start tag is a '<' followed by an ASCII letter; counting such pairs anywhere (also in
  // attribute values or comments) can only over-count, so the cut is never late.
  std::size_t tags = 0;
  for (std::size_t i = 0; i + 1 < html.size(); ++i) {
    if (html[i] == '<' && std::isalpha(static_cast<unsigned char>(html[i + 1])) &&
        ++tags > kMaxStartTags) {
      html = html.substr(0, i);
      break;
    }
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not collected: only the tree is wanted
  const std::unique_ptr<GumboOutput, OutputDeleter> doc(
      gumbo_parse_with_options(&options, html.data(), html.size()));
  if (!doc) return {};

  TextWriter w;
  int pre_depth = 0;
  std::vector<Frame> stack;
  stack.push_back({doc->root});
  Open(*doc->root, w, pre_depth, stack.back());
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboNode& node = *top.node;
    const GumboVector& children = node.v.element.children;
    if (top.next_child >= children.length) {
      Close(node, w, pre_depth, top);
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[top.next_child++]);
    switch (child->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        if (pre_depth > 0) {
          w.Preformatted(child->v.text.text);
        } else {
          w.Text(child->v.text.text);
        }
        break;
      case GUMBO_NODE_ELEMENT:
        if (LayoutOf(child->v.element.tag) == Layout::kSkip) break;
        stack.push_back({child});
        Open(*child, w, pre_depth, stack.back());
        break;
      default:  // comments, <template> contents, the document node
        break;
    }
  }
  return w.Take();
}

}  // namespace soporte::transport::mail
