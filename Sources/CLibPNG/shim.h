// Exposes libpng to targets that depend on CLibPNG; pkg-config adds -I<include>/libpng16.
#include <png.h>
