/* Generated litmus tests by name (include/litmus.h), for benchmarks and
 * for anything that runs one test outside its TEST() entry. */
#include "litmus.h"
#include <string.h>

const struct litmus_test *litmus_find(const char *name)
{
    for (unsigned i = 0; i < litmus_ntests; i++)
        if (!strcmp(litmus_tests[i]->name, name))
            return litmus_tests[i];
    return NULL;
}
