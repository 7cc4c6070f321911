// Files the PKI and the keys live in: private ones are created 0600 from the start, never chmod-ed later.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace borderpost::sync {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_file(const std::string& path, const char* mode);  // throws with the path and errno text
File create_private_file(const std::string& path);          // mode 0600, replaces an existing file
std::string read_text_file(const std::string& path);        // throws with the path and errno text
void write_text_file(const std::string& path, const std::string& text, bool private_file = false);

}  // namespace borderpost::sync
