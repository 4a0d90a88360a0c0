# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# libFuzzer targets (tests/fuzz/fuzz_*.c): clang with
# -fsanitize=fuzzer,address,undefined, linked against the user objects
# built again by clang with the same sanitizers ($(OUT)/fuzz/obj, an
# archive so each target takes only what it calls). `make check` runs each
# for FUZZ_CHECK_TIME seconds on its committed corpus (tests/fuzz/run.sh);
# `make fuzz FUZZ_TIME=600` is the longer campaign, for bench, its finds
# kept in $(OUT)/fuzz/corpus/TARGET.

FUZZ_TIME       ?= 300
FUZZ_SRCS       := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS       := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_SAN        := -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
FUZZ_USER_OBJS  := $(patsubst %.c,$(OUT)/fuzz/obj/%.o,$(USER_SRCS))

# make deps: the fuzzer runtime (libclang-rt-14-dev) is in DEB_PKGS.

$(OUT)/fuzz/obj/%.o: %.c | $(SKEL)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D) && $(CLANG) $(ALL_CFLAGS) $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link -c $< -o $@

$(OUT)/fuzz/libuser.a: $(FUZZ_USER_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/fuzz/%: $(OUT)/fuzz/obj/tests/fuzz/%.o $(OUT)/fuzz/libuser.a
	$(call msg,LD,$@)
	$(Q)$(CLANG) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer $^ $(LDLIBS) -o $@

.PHONY: fuzz-build fuzz
fuzz-build: $(FUZZ_BINS)
tests-build: fuzz-build

# The campaign: every target for FUZZ_TIME seconds, new inputs kept in
# $(OUT)/fuzz/corpus/TARGET (copy a finding's regression input into
# tests/fuzz/corpus/TARGET by hand, with the fix).
fuzz: fuzz-build
	$(Q)tests/fuzz/run.sh $(OUT) $(FUZZ_TIME) $(OUT)/fuzz/corpus
