# SPDX-style header comment: obj-m += commented.o must not count
#
obj-$(CONFIG_FOO_NET) += foonet.o
obj-$(CONFIG_BAR) += bar.o helper.o \
	baz.o   # baz.c does not exist: an object without a source
obj-m += loner.o
obj-y += core.o

multi-objs := multi_main.o multi_hw.o
multi-y += multi_extra.o
multi-$(CONFIG_MULTI_DEBUG) += multi_debug.o
multi-$(CONFIG_MULTI) += multi_self.o
obj-$(CONFIG_MULTI) += multi.o

parts := part_a.o part_b.o
combo-y := $(parts) combo_main.o
obj-$(CONFIG_COMBO)	+= combo.o

lib-y += notamodule.o
define some_recipe
obj-y += indefine.o
endef

shared.o: CFLAGS += -DX
clean-files := obj-y
