# One place for the warning flags every borderpost target builds with.
add_library(borderpost_warnings INTERFACE)
target_compile_options(borderpost_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
$<$<BOOL:${BORDERPOST_WERROR}>:-Werror>)
