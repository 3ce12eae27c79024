// What `cmake --install` and the .deb ship besides the binary stays in step with the CLI:
//   - the manual page docs/concur.1 has an entry for every option `concur --help` and each
//     command's and each demo's --help print, every command, every demo and every variant
//     (`concur list --names`), each in its place: the OPTIONS, COMMANDS or DEMO OPTIONS
//     section, or the demo's own subsection of DEMOS;
//   - the bash and zsh completions read the demos and variants from the binary, and complete
//     them, run against the real `concur` (CONCUR_BINARY).
// The files are read from the source tree (CONCUR_SOURCE_DIR).
#include <stdio.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "binary_fixture.h"
#include "cli_fixture.h"

namespace {

using namespace concur::testing;  // the fixtures

std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(CONCUR_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A man page line as it reads: font changes (\fB, \fR, ...) and zero-width \& dropped, \- as -.
std::string plain(const std::string& line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      char c = line[i + 1];
      if (c == 'f' && i + 2 < line.size()) {
        i += 2;
      } else if (c == '&') {
        i += 1;
      } else if (c == '-') {
        out += '-';
        i += 1;
      } else {
        out += line[i];
      }
    } else {
      out += line[i];
    }
  }
  return out;
}

// docs/concur.1 by section: "OPTIONS", "COMMANDS", "DEMO OPTIONS", ..., and "DEMOS/NAME" for a
// demo's subsection (.SS NAME under .SH DEMOS). `text` is the section as plain text;
// `defines` the options it has an entry for: the leading -x/--xx words of a .TP tag line
// (".BR \-v \", \" \-\-variant \" \fINAME\fR\"" defines -v and --variant).
struct ManPage {
  std::map<std::string, std::string> text;
  std::map<std::string, std::set<std::string>> defines;
};

ManPage man_page() {
  ManPage man;
  std::string sh, ss;
  auto title = [](const std::string& line) {
    std::string t = plain(line.substr(4));
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
    return t;
  };
  auto defined_options = [](const std::string& tag) {
    std::set<std::string> options;
    std::string words = tag.substr(tag.find(' ') + 1);  // after .B, .BI, .BR
    for (char& c : words)
      if (c == '"' || c == ',') c = ' ';
    std::istringstream in(words);
    for (std::string word; in >> word && word.starts_with("-");) options.insert(word);
    return options;
  };
  bool tag_next = false;
  for (const auto& line : lines_of(source_file("docs/concur.1"))) {
    if (line.starts_with(".SH ")) {
      sh = title(line);
      ss.clear();
      continue;
    }
    if (line.starts_with(".SS ")) ss = title(line);
    std::vector<std::string> keys = {sh};
    if (!ss.empty()) keys.push_back(sh + "/" + ss);
    for (const auto& key : keys) {
      man.text[key] += plain(line) + "\n";
      if (tag_next)
        for (const auto& option : defined_options(plain(line))) man.defines[key].insert(option);
    }
    tag_next = line.starts_with(".TP");
  }
  return man;
}

// Whether `word` appears in `text` as a whole word: not inside a longer name or option.
bool mentions(const std::string& text, const std::string& word) {
  auto is_name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    bool starts = at == 0 || !is_name_char(text[at - 1]);
    bool ends = at + word.size() == text.size() || !is_name_char(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// The entries' first words in the "TITLE:" section of a --help text: option names (both of
// "-h,--help") for "Options", command or demo names for "Subcommands".
std::vector<std::string> help_entries(const std::string& help, const std::string& title) {
  std::vector<std::string> found;
  bool in_section = false;
  for (const auto& line : lines_of(help)) {
    if (line == title + ":") {
      in_section = true;
    } else if (in_section && line.empty()) {
      break;
    } else if (in_section && line.starts_with("  ") && line[2] != ' ') {
      std::string first = line.substr(2, line.find(' ', 2) - 2);
      std::istringstream names(first);
      for (std::string name; std::getline(names, name, ',');) found.push_back(name);
    }
  }
  return found;
}

std::string help_of(std::vector<std::string> args) {
  args.push_back("--help");
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 0) << r.err;
  return r.out;
}

// The demos and their variants, from `concur list --names`, in table order.
std::vector<std::pair<std::string, std::vector<std::string>>> demos_and_variants() {
  std::vector<std::pair<std::string, std::vector<std::string>>> demos;
  for (const auto& line : lines_of(run_cli({"list", "--names"}).out)) {
    std::string demo = line.substr(0, line.find(' ')), variant = line.substr(line.find(' ') + 1);
    if (demos.empty() || demos.back().first != demo) demos.push_back({demo, {}});
    demos.back().second.push_back(variant);
  }
  return demos;
}

// What `shell` prints running `script` with $1 = the completion file and $2 = the binary.
std::string run_completion(const std::string& shell, const std::string& completion, const std::string& script) {
  std::string command = shell + " -c " + shell_quoted(script) + " _ " +
                        shell_quoted(std::string(CONCUR_SOURCE_DIR) + "/" + completion) + " " +
                        shell_quoted(CONCUR_BINARY) + " 2>&1 </dev/null";
  return run_sh(command).out;
}

// The words bash's completion function offers for COMP_WORDS = concur WORDS..., the last
// word being the one completed.
std::vector<std::string> bash_completes(const std::string& words) {
  return lines_of(run_completion("bash", "completions/concur.bash",
                                 "source \"$1\"; COMP_WORDS=(\"$2\" " + words +
                                     "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _concur; "
                                     "printf '%s\\n' \"${COMPREPLY[@]}\""));
}

TEST(ManPage, HasAnEntryForEveryOptionOfConcurAndOfEachCommand) {
  ManPage man = man_page();
  std::string top = help_of({});
  for (const auto& option : help_entries(top, "Options"))
    EXPECT_TRUE(man.defines["OPTIONS"].count(option)) << "no entry for concur " << option << " in OPTIONS of docs/concur.1";
  for (const auto& command : help_entries(top, "Subcommands"))
    for (const auto& option : help_entries(help_of({command}), "Options"))
      EXPECT_TRUE(man.defines["COMMANDS"].count(option) || man.defines["OPTIONS"].count(option))
          << "no entry for concur " << command << " " << option << " in COMMANDS of docs/concur.1";
}

TEST(ManPage, HasAnEntryForEveryCommandAndShowsItInTheSynopsis) {
  ManPage man = man_page();
  for (const auto& command : help_entries(help_of({}), "Subcommands")) {
    EXPECT_TRUE(man.text["COMMANDS"].find("\n.B " + command + " ") != std::string::npos ||
                man.text["COMMANDS"].find("\n.B " + command + "\n") != std::string::npos ||
                man.text["COMMANDS"].find("\n.BI " + command + " ") != std::string::npos)
        << "no entry for concur " << command << " in COMMANDS of docs/concur.1";
    EXPECT_TRUE(mentions(man.text["SYNOPSIS"], command)) << "concur " << command << " is not in the SYNOPSIS";
  }
}

TEST(ManPage, HasASubsectionForEveryDemoNamingEachVariant) {
  ManPage man = man_page();
  auto demos = demos_and_variants();
  ASSERT_FALSE(demos.empty());
  for (const auto& [demo, variants] : demos) {
    ASSERT_TRUE(man.text.count("DEMOS/" + demo)) << "no '.SS " << demo << "' under DEMOS in docs/concur.1";
    for (const auto& variant : variants)
      EXPECT_NE(man.text["DEMOS/" + demo].find("\n.B " + variant + "\n"), std::string::npos)
          << "no entry for variant " << variant << " in the subsection of " << demo << " in docs/concur.1";
  }
}

TEST(ManPage, HasAnEntryForEveryOptionOfEachDemo) {
  ManPage man = man_page();
  for (const auto& demo : help_entries(help_of({"demo"}), "Subcommands"))
    for (const auto& option : help_entries(help_of({"demo", demo}), "Options"))
      EXPECT_TRUE(man.defines["DEMO OPTIONS"].count(option) || man.defines["OPTIONS"].count(option) ||
                  man.defines["DEMOS/" + demo].count(option))
          << "no entry for concur demo " << demo << " " << option
          << " in DEMO OPTIONS or in the demo's subsection of docs/concur.1";
}

TEST(BashCompletion, ReadsTheDemosAndTheirVariantsFromTheBinary) {
  std::string script = source_file("completions/concur.bash");
  EXPECT_TRUE(mentions(script, "list --names")) << "the demos should come from `concur list --names`";
  EXPECT_TRUE(mentions(script, "complete -F _concur concur"));
}

TEST(BashCompletion, CompletesADemoNameAfterDemo) {
  EXPECT_THAT(bash_completes("demo sem"), ::testing::ElementsAre("semaphore"));
  EXPECT_THAT(bash_completes("explain phil"), ::testing::ElementsAre("philosophers"));
}

TEST(BashCompletion, OffersCommandsAndEveryDemoFirst) {
  auto offered = bash_completes("''");
  for (const auto& [demo, variants] : demos_and_variants()) EXPECT_THAT(offered, ::testing::Contains(demo));
  for (const auto& command : help_entries(help_of({}), "Subcommands"))
    EXPECT_THAT(offered, ::testing::Contains(command));
}

TEST(BashCompletion, OffersTheVariantsOfTheDemoBeingRun) {
  for (const auto& [demo, variants] : demos_and_variants()) {
    if (demo != "semaphore" && demo != "race") continue;
    EXPECT_EQ(bash_completes("demo " + demo + " --variant ''"), variants);
    EXPECT_EQ(bash_completes(demo + " -v ''"), variants);  // concur NAME is concur demo NAME
  }
}

TEST(BashCompletion, OffersADemosOwnOptionsAndTheirValues) {
  EXPECT_THAT(bash_completes("demo race --ex"), ::testing::ElementsAre("--explore"));
  EXPECT_THAT(bash_completes("demo queue --kind ''"), ::testing::ElementsAre("fifo", "lifo", "priority"));
}

TEST(ZshCompletion, ReadsTheDemosFromTheBinaryAndCompletesThem) {
  std::string script = source_file("completions/_concur");
  EXPECT_TRUE(script.starts_with("#compdef concur\n"));
  EXPECT_TRUE(mentions(script, "demo --help")) << "the demos should come from `concur demo --help`";
  if (access("/bin/zsh", X_OK) != 0) GTEST_SKIP() << "no zsh to run completions/_concur";
  // The completion system's functions stubbed: each prints what it would offer.
  std::string out = run_completion("/bin/zsh -f", "completions/_concur",
                                   "_describe() { local a=${@[-1]}; print -rl -- \"${(@)${(@P)a}%%:*}\"; }; "
                                   "words=(\"$2\" demo queue --kind ''); CURRENT=5; PREFIX=''; source \"$1\"");
  EXPECT_THAT(lines_of(out), ::testing::ElementsAre("fifo", "lifo", "priority"));
}

}  // namespace
