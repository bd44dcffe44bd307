/* test_idtab.c: cmocka tests of the id-keyed hash table (core/idtab.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "idtab.h"

/* An entry as its users write one: the id first, then what it holds. */
struct entry {
    int64_t id;
    int value;
};

/* Many ids (negative ones too, and ids that collide in a small table) are added, found,
 * walked and survive every growth; 0 is never a key. */
static void test_idtab_add_find_grow(void **state)
{
    struct idtab t;
    struct entry *e;
    int fresh;
    (void)state;
    idtab_init(&t, sizeof(struct entry), 1);
    assert_null(idtab_find(&t, 5));
    assert_null(idtab_slot(&t, 0));
    for (int64_t i = 1; i <= 5000; i++) {
        int64_t id = i % 2 ? i * 1024 : -i;
        e = idtab_add(&t, id, &fresh);
        assert_non_null(e);
        assert_int_equal(fresh, 1);
        assert_int_equal(e->id, id);
        assert_int_equal(e->value, 0); /* zeroed but for its id */
        e->value = (int)i;
    }
    assert_int_equal(t.n, 5000);
    assert_true(t.cap >= 2 * t.n);
    for (int64_t i = 1; i <= 5000; i++) {
        int64_t id = i % 2 ? i * 1024 : -i;
        e = idtab_find(&t, id);
        assert_non_null(e);
        assert_int_equal(e->value, (int)i);
        assert_ptr_equal(idtab_add(&t, id, &fresh), e);
        assert_int_equal(fresh, 0);
    }
    assert_null(idtab_find(&t, 3));
    assert_null(idtab_find(&t, 0));
    assert_null(idtab_add(&t, 0, &fresh));
    assert_int_equal(t.n, 5000);
    /* a walk over the slots meets every entry once */
    long long sum = 0;
    size_t seen = 0;
    for (size_t i = 0; i < t.cap + 3; i++)
        if ((e = idtab_slot(&t, i)) != NULL)
            sum += e->value, seen++;
    assert_int_equal(seen, 5000);
    assert_int_equal(sum, 5000LL * 5001 / 2);
    idtab_clear(&t);
    assert_int_equal(t.n, 0);
    assert_null(idtab_find(&t, 1024));
    assert_non_null(idtab_add(&t, 1024, &fresh));
    assert_int_equal(fresh, 1);
    idtab_release(&t);
    assert_null(idtab_find(&t, 1024));
    idtab_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idtab_add_find_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
