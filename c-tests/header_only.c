/* The header on its own: compiled as strict C99 and as C++98/11/17 with -pedantic by
 * c-tests/run.sh, tests/c_tests.rs and c-tests/CMakeLists.txt (valid C and C++ alike). */
#include <ndimage.h>

int main(void) {
    ndi_options o;
    ndi_options_init(&o, sizeof o);
    return (int)o.flags;
}
