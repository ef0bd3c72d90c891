/** The "what to expect" note of the CNN lesson, per dataset: measured, so learners can compare. */
import type { ClassificationDataset } from "../data/types";

export function cnnExpectations(ds: ClassificationDataset): string {
  switch (ds.id) {
    case "nodules":
      return "With the default settings the validation accuracy passes 85% within about 30 seconds (6–8 epochs) and AUC passes 0.95. " +
        "The first epoch or two sit near 50–70% while the filters find their shape; then the loss drops quickly.";
    case "pneumoniamnist":
      return "Measured with a small CNN (16-32-64 filters): validation AUC above 0.91 after one epoch (about 150 steps), and a test AUC of " +
        "0.936 ± 0.009 after 10 epochs, against 0.944 for the published ResNet-18. Validation AUC climbs to about 0.99 while the test AUC stays " +
        "near 0.94. The split is shifted: the validation images are a random tenth of the same pool as the training images, while the test " +
        "images are the source dataset's own, separately assembled test set, with a different class balance (38% normal against 26%). " +
        "A model watched on validation looks better there than it is. Press “Evaluate on the test set” to see both.";
    case "breastmnist":
      return "BreastMNIST is small (546 training images), so training from scratch is slow to settle: about 0.80 test AUC after 10 epochs and " +
        "about 0.90 after 30 (the published ResNet-18 reaches 0.901). With so few images, accuracy sits near the majority-class rate (73%) " +
        "for a while and swings by a few percent between epochs: watch the AUC.";
    default:
      return "Accuracy at a 0.5 threshold swings between epochs and can sit at the majority-class rate on small or lopsided datasets: " +
        "lead with the AUC, which does not depend on one threshold.";
  }
}
