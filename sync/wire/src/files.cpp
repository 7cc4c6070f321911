#include "sync/internal/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace borderpost::sync {

File open_file(const std::string& path, const char* mode) {
  File file(std::fopen(path.c_str(), mode));
  if (!file) throw std::runtime_error(path + ": " + std::strerror(errno));
  return file;
}

File create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {  // an existing file keeps its old mode otherwise
    const int saved = errno;
    ::close(fd);
    throw std::runtime_error(path + ": " + std::strerror(saved));
  }
  File file(::fdopen(fd, "w"));
  if (!file) {
    ::close(fd);
    throw std::runtime_error(path + ": " + std::strerror(errno));
  }
  return file;
}

std::string read_text_file(const std::string& path) {
  auto file = open_file(path, "rb");
  std::string text;
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) throw std::runtime_error(path + ": read error");
  return text;
}

void write_text_file(const std::string& path, const std::string& text, bool private_file) {
  auto file = private_file ? create_private_file(path) : open_file(path, "wb");
  if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size() || std::fflush(file.get()) != 0)
    throw std::runtime_error(path + ": " + std::strerror(errno));
}

}  // namespace borderpost::sync
