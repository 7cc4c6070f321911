// The command groups' common wrapper: a command body's exception becomes "borderpost WHAT:
// reason" on standard error and exit status 1 (the station's groups use it too).
#pragma once

#include <exception>
#include <ostream>

namespace borderpost::sync::cli {

template <typename Body>
auto guarded(std::ostream& err, int& exit_code, const char* what, Body body) {
  return [&err, &exit_code, what, body] {
    try {
      exit_code = body();
    } catch (const std::exception& e) {
      err << "borderpost " << what << ": " << e.what() << "\n";
      exit_code = 1;
    }
  };
}

}  // namespace borderpost::sync::cli
