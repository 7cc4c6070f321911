// OpenSSL's error queue as one readable line (and emptied, so later calls start clean).
#pragma once

#include <string>

#include <openssl/err.h>

namespace borderpost::sync {

inline std::string openssl_error() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char line[256];
    ERR_error_string_n(code, line, sizeof line);
    if (!text.empty()) text.append("; ");
    text.append(line);
  }
  return text.empty() ? "no detail from OpenSSL" : text;
}

}  // namespace borderpost::sync
