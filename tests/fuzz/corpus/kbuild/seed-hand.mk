# handwritten: variables, continuations, define blocks, composites
ccflags-y := -DDEBUG
base := mydrv
obj-$(CONFIG_MYDRV) += $(base).o other.o \
	third.o
$(base)-objs := main.o hw.o
mydrv-$(CONFIG_MYDRV_DEBUG) += debug.o
mydrv-y += ${extra}
extra ?= extra.o
other-y := other_main.o
define my_rule
obj-m += hidden.o
endef
ifeq ($(CONFIG_X),y)
obj-y += sub/
endif
export override obj-m += exported.o
lib-y += notamodule.o
all: ; @echo not an assignment
