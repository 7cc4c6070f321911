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

// A server started in the background; its output goes to files in `log_dir`. The destructor
// stops it with SIGTERM (then SIGKILL after 10 s).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args, const std::string& log_dir);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Waits until standard output holds a line starting with `prefix`; returns the rest of it.
  std::string wait_for_line(const std::string& prefix, int timeout_ms = 20'000);
  int stop(int signal_number = 15);  // the exit code (128 + signal when killed)
  void kill_hard();                  // SIGKILL, as a power cut or a crash would
  std::string output() const;
  std::string errors() const;

 private:
  int pid_ = -1;
  int exit_code_ = -1;
  std::string out_path_, err_path_;
};

}  // namespace borderpost::test
