package org.weft.recipes.mmd;

/**
 * The six columns of paper 000's ablation (its Table 2): which network is trained on the target, how it starts,
 * and which transfer terms its loss has.
 */
public enum Setting {
    /** (1) the target network alone, from ImageNet weights (or torchvision's random initialisation without them). */
    IMAGENET_TARGET_ONLY(1, "ImageNet-init target only", false, false, false, false),
    /** (2) the target network alone, from the source-pretrained weights. */
    SOURCE_INIT_TARGET_ONLY(2, "source-init target only", false, false, false, false),
    /** (3) one backbone with a source head and a target head, trained on Ls + Lt. */
    WEIGHT_SHARED(3, "weight-shared multi-task", true, true, false, false),
    /** (4) two branches, Ls + Lt + λr·LMMD. */
    TWO_BRANCH_MMD(4, "two branches + MMD", true, false, true, false),
    /** (5) two branches, Ls + Lt + λw·Lw. */
    TWO_BRANCH_LW(5, "two branches + Lw", true, false, false, true),
    /** (6) two branches, the paper's full loss Ls + Lt + λw·Lw + λr·LMMD. */
    TWO_BRANCH_MMD_LW(6, "two branches + MMD + Lw", true, false, true, true);

    /** The paper's column number. */
    public final int number;
    public final String label;
    /** Whether the setting trains on source and target batches (and has a source head). */
    public final boolean twoDomain;
    /** Whether source and target share one backbone. */
    public final boolean shared;
    public final boolean mmd;
    public final boolean constraint;

    Setting(int number, String label, boolean twoDomain, boolean shared, boolean mmd, boolean constraint) {
        this.number = number;
        this.label = label;
        this.twoDomain = twoDomain;
        this.shared = shared;
        this.mmd = mmd;
        this.constraint = constraint;
    }

    /** Setting {@code number} (1..6). */
    public static Setting of(int number) {
        for (Setting s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw new IllegalArgumentException("paper 000 has ablation settings 1 to 6, got " + number);
    }

    /** Whether the setting starts from the source-pretrained weights (all but setting 1). */
    public boolean sourceInitialised() {
        return this != IMAGENET_TARGET_ONLY;
    }
}
