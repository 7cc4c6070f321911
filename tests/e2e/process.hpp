// Runs a command line for the end-to-end tests and captures what it printed.
#pragma once

#include <string>
#include <vector>

namespace borderpost::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program args...` (no shell), feeding `input` on standard input.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::string& input = {});

}  // namespace borderpost::test
