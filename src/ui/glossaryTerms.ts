/**
 * The glossary's terms: every technical word a student meets in the lessons, each with one
 * paragraph written for that student. The glossary page and the tooltips on the lesson pages both
 * read this list; no definition is written anywhere else.
 *
 * `aliases` are the other ways the lessons write a term (plurals "s"/"es" match by themselves);
 * `lessons` are the lessons where it matters (every lesson whose prose uses it, checked by
 * tests/ui/glossary.test.ts, plus any where it appears only in the controls).
 */

export type LessonSlug =
  "cnn" | "transfer" | "unet" | "gan" | "detection" | "explain" | "data-problems" | "autoencoders";

/** The lessons' short titles, for the glossary's links back (as in the site's sidebar). */
export const LESSON_TITLES: Record<LessonSlug, string> = {
  cnn: "1 · CNN classification",
  transfer: "2 · Transfer learning",
  unet: "3 · U-Net segmentation",
  gan: "4 · GAN image enhancement",
  detection: "5 · Detection",
  explain: "6 · Opening the black box",
  "data-problems": "7 · The data problems",
  autoencoders: "8 · Auto-encoders",
};

export interface GlossaryTerm {
  /** The anchor on the glossary page: lower case, hyphens ("auc", "soft-dice"). */
  id: string;
  /** The term as the glossary lists it. */
  term: string;
  /** Other written forms that mean the same thing (abbreviation, long form, verb form). */
  aliases?: string[];
  /** One paragraph, for a student meeting the word for the first time. */
  definition: string;
  /** The lessons where the term matters. */
  lessons: LessonSlug[];
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  // ── networks and their layers
  {
    id: "neural-network",
    term: "neural network",
    aliases: ["network"],
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "A function built from many simple units arranged in layers. Each unit multiplies its inputs by weights, adds them up and passes the sum through a simple non-linear function; the output of one layer is the input of the next. Nobody writes the weights by hand: training adjusts them, step by step, until the network's outputs match the examples it is shown.",
  },
  {
    id: "deep-learning",
    term: "deep learning",
    lessons: ["unet", "explain", "data-problems"],
    definition:
      "Machine learning with neural networks of many layers. The point of depth is that the network learns its own features from raw pixels, simple ones (edges) in the first layers and more abstract ones (shapes, objects) in later layers, instead of relying on features designed by hand.",
  },
  {
    id: "cnn",
    term: "convolutional neural network",
    aliases: ["CNN", "convolutional network"],
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "A neural network for images whose main layers are convolutions: small learned filters slid over the whole image. Because the same filter is used at every position, a CNN needs far fewer weights than a network that connects every pixel to every unit, and it finds a pattern wherever it appears. The survey's workhorse for classification, detection and segmentation.",
  },
  {
    id: "layer",
    term: "layer",
    aliases: ["hidden layer"],
    lessons: ["cnn", "transfer", "unet", "detection", "explain", "autoencoders"],
    definition:
      "One stage of a neural network: it takes an array of numbers (an image, or the previous layer's feature maps) and computes a new one. Convolution, pooling and dense layers are the kinds used here. Layers between the input and the output are called hidden layers, because their values are never shown to the network as targets.",
  },
  {
    id: "convolution",
    term: "convolution",
    aliases: ["conv", "conv layer", "convolve"],
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "Sliding a small grid of weights (a filter, e.g. 3×3) over an image and, at every position, multiplying the pixels under it by the weights and adding them up. The result is a feature map that is bright wherever the image looks like the filter. A convolution layer holds many filters and learns their weights during training.",
  },
  {
    id: "filter",
    term: "filter",
    aliases: ["kernel"],
    lessons: ["cnn", "transfer", "unet", "detection", "autoencoders"],
    definition:
      "The small grid of weights a convolution slides over the image (also called a kernel). A 3×3 filter has nine weights (per input channel) plus a bias. After training, first-layer filters often look like edge and blob detectors; you can see them as tiles in the lessons.",
  },
  {
    id: "feature-map",
    term: "feature map",
    aliases: ["activation map", "activations"],
    lessons: ["cnn", "detection", "explain"],
    definition:
      "The output of one filter over the whole image: a grid that is large where the filter's pattern is present. A layer with 16 filters makes 16 feature maps. Looking at them (activation maps) shows what each part of a network responds to.",
  },
  {
    id: "feature",
    term: "feature",
    lessons: ["cnn", "transfer", "unet", "explain", "autoencoders"],
    definition:
      "A number computed from an image that helps with the task: the brightness of a region, the strength of an edge, or the output of a learned filter. Before deep learning, features were designed by hand; a CNN learns its own, and its last feature maps are the features its classifier head reads.",
  },
  {
    id: "relu",
    term: "ReLU",
    aliases: ["rectified linear unit"],
    lessons: ["cnn", "transfer", "explain", "data-problems", "autoencoders"],
    definition:
      'Rectified linear unit: keeps a positive value and replaces a negative one by zero, max(0, x). Applied after each convolution, it makes the network non-linear (a stack of purely linear layers could only ever compute one linear function), and it is cheap and easy to train. A ReLU that only ever sees negative inputs outputs zero forever: a "dead" unit, which a too-large learning rate can cause.',
  },
  {
    id: "max-pooling",
    term: "max-pooling",
    aliases: ["pooling", "pool"],
    lessons: ["cnn", "transfer", "unet", "data-problems", "autoencoders"],
    definition:
      "Keeping only the largest value in each small block (usually 2×2) of a feature map. The map shrinks by half in each direction, so the next layer's filters cover a region twice as wide, and a small shift of the object hardly changes the result.",
  },
  {
    id: "dense-layer",
    term: "dense layer",
    aliases: ["fully connected layer"],
    lessons: ["cnn", "detection"],
    definition:
      "A layer in which every output is a weighted sum of every input (fully connected). In a CNN the last feature maps are flattened into one long list of numbers and a dense layer turns them into class scores.",
  },
  {
    id: "flatten",
    term: "flatten",
    lessons: ["explain"],
    definition:
      "Turning a stack of feature maps into one long list of numbers, so a dense layer can read it. The position of each value is kept in its place in the list, so the dense layer can weigh a feature differently depending on where it is.",
  },
  {
    id: "softmax",
    term: "softmax",
    aliases: ["softmax confidence"],
    lessons: ["explain"],
    definition:
      "The function that turns a network's raw class scores into probabilities that are positive and add up to 1: each score is exponentiated and divided by the sum. The largest probability is often read as the network's confidence, though a network can be confidently wrong (see calibration).",
  },
  {
    id: "sigmoid",
    term: "sigmoid",
    lessons: ["cnn"],
    definition:
      "The S-shaped function 1 / (1 + e^−x), which squeezes any number into the range 0 to 1. It gives one independent probability per output, which suits yes/no questions and multi-label data (several findings can be present at once).",
  },
  {
    id: "weights",
    term: "weights",
    aliases: ["weight", "parameters", "initial weights", "random weights"],
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "The numbers inside a network that training adjusts: the entries of every filter, the connections of dense layers, and the biases. Training starts from small random weights (drawn with a seed, so a run can be repeated) and changes them a little at every step to reduce the loss.",
  },
  {
    id: "classifier",
    term: "classifier",
    aliases: ["classification"],
    lessons: ["cnn", "transfer", "unet", "detection", "data-problems", "autoencoders"],
    definition:
      "A model that assigns an input to one of a fixed set of classes, e.g. nodule / no nodule, or benign / malignant. The survey's largest group of papers (§3.1) classifies whole images or exams, or single lesions cut out of them.",
  },
  {
    id: "classifier-head",
    term: "classifier head",
    lessons: ["transfer", "autoencoders"],
    definition:
      "The last layers of a network, which read the features made by the earlier layers and output the class scores. In transfer learning a new head is put on a pretrained network, because the old one answered a different question.",
  },
  {
    id: "residual",
    term: "residual",
    aliases: ["residual CNN"],
    lessons: ["gan"],
    definition:
      "A network (or block) whose output is added to its input, so it only has to learn the difference. The GAN lesson's denoiser is residual: it learns the noise to take away, which is easier than redrawing the whole image.",
  },

  // ── training
  {
    id: "training",
    term: "training",
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "Fitting a network's weights to examples: show it a batch of images, compare its outputs with the targets using the loss, compute the gradient, and move every weight a small step in the direction that lowers the loss. Repeat for many steps.",
  },
  {
    id: "loss",
    term: "loss",
    aliases: ["loss function"],
    lessons: ["cnn", "unet", "gan", "detection", "data-problems", "autoencoders"],
    definition:
      'A single number that says how wrong the network\'s outputs are on some examples: zero when perfect, larger when worse. Training lowers it. The choice of loss (cross-entropy, Dice, a pixel loss, an adversarial loss…) decides what "good" means to the network.',
  },
  {
    id: "gradient",
    term: "gradient",
    lessons: ["cnn", "transfer", "gan", "explain", "autoencoders"],
    definition:
      "How much the loss changes when each weight changes a little: one number per weight, computed by backpropagation. Moving the weights against the gradient lowers the loss. The same calculation, done with respect to the input pixels instead of the weights, gives a saliency map.",
  },
  {
    id: "backpropagation",
    term: "backpropagation",
    aliases: ["back-propagation"],
    lessons: ["cnn"],
    definition:
      "The algorithm that computes the gradient of the loss with respect to every weight, by applying the chain rule layer by layer from the output back to the input. tfjs does it automatically.",
  },
  {
    id: "optimizer",
    term: "optimizer",
    aliases: ["optimiser"],
    lessons: ["cnn"],
    definition:
      "The rule that turns gradients into weight changes. Plain gradient descent moves each weight by learning rate × gradient; Adam, which the kit uses, adapts the step for every weight from the recent history of its gradients.",
  },
  {
    id: "adam",
    term: "Adam",
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "The optimizer the kit trains with (Kingma & Ba, 2015). For each weight it keeps a running average of the gradient (momentum) and of its square, and divides one by the square root of the other, so every weight takes steps of a sensible size whatever the scale of its gradient. It works well with little tuning, which is why it is the default almost everywhere.",
  },
  {
    id: "learning-rate",
    term: "learning rate",
    lessons: ["cnn", "transfer", "gan"],
    definition:
      "How big a step the optimizer takes at each update. Too small and training crawls; too large and the loss jumps around or explodes (it can also kill ReLUs for good). In the lessons you can change it while the model trains and watch the loss react.",
  },
  {
    id: "batch",
    term: "batch",
    aliases: ["mini-batch", "batch size"],
    lessons: ["cnn", "transfer", "unet", "gan"],
    definition:
      "The small group of training images (e.g. 32) used for one step. The gradient of a batch is a noisy estimate of the gradient over all the data: cheap to compute, and the noise even helps a little. The faint, jagged line on a loss chart is the loss of each batch.",
  },
  {
    id: "epoch",
    term: "epoch",
    lessons: ["cnn", "detection", "explain", "data-problems"],
    definition:
      "One pass over the whole training set: with 800 images and batches of 32, one epoch is 25 steps. Validation is usually measured after each epoch, which is why learning curves have one dot per epoch.",
  },
  {
    id: "hyperparameter",
    term: "hyperparameter",
    lessons: ["cnn"],
    definition:
      "A setting chosen by you, not learned by training: the learning rate, the number of filters, the depth, the batch size, the dropout rate, λ or β. Every slider in the lessons is one. Choosing them by looking at the validation set is part of why its score is optimistic.",
  },
  {
    id: "seed",
    term: "seed",
    aliases: ["random seed"],
    lessons: ["transfer", "unet", "gan", "explain", "data-problems", "autoencoders"],
    definition:
      'The starting number of a pseudo-random generator. With the same seed the "random" initial weights, data and dropout are exactly the same, so a run can be repeated and two runs compared fairly. Running several seeds shows how much of a result is luck.',
  },
  {
    id: "initialisation",
    term: "initialisation",
    aliases: ["initialization"],
    lessons: ["transfer"],
    definition:
      "The weights a network starts from before training: small random numbers, so different units can learn different things. Two runs from the same seed start from the same initialisation.",
  },
  {
    id: "learning-curve",
    term: "learning curve",
    lessons: ["cnn", "detection"],
    definition:
      "A chart of the loss (or accuracy, AUC, Dice…) against training steps or epochs, for the training data and the validation data. The gap between the two curves tells you whether the model is still learning or has started to overfit.",
  },
  {
    id: "overfitting",
    term: "overfitting",
    aliases: ["overfit"],
    lessons: ["cnn"],
    definition:
      "When a model learns the training images themselves, noise and accidents included, instead of what generalises: the training loss keeps falling while the validation loss stops falling or rises. Small datasets and large networks overfit easily; dropout, augmentation and early stopping fight it.",
  },
  {
    id: "memorisation",
    term: "memorise",
    aliases: ["memorising", "memorised", "memorisation", "memorization", "memorize", "learns them by heart"],
    lessons: ["cnn", "data-problems"],
    definition:
      "Fitting individual training examples, including wrong labels, rather than the pattern they share. Deep networks can memorise even completely random labels; with noisy labels they tend to learn the pattern first and memorise the wrong labels later, which is what early stopping exploits.",
  },
  {
    id: "dropout",
    term: "dropout",
    lessons: ["cnn", "explain"],
    definition:
      "During training, switching off a random fraction of a layer's units at every step (the rest are scaled up to compensate). The network cannot rely on any one unit, which reduces overfitting. Normally dropout is off when predicting; Monte Carlo dropout keeps it on to measure uncertainty.",
  },
  {
    id: "augmentation",
    term: "augmentation",
    aliases: ["data augmentation", "augmented"],
    lessons: ["cnn", "data-problems"],
    definition:
      "Showing the network a slightly changed copy of a training image each time (flipped, rotated, deformed, brighter…), with changes that do not change the label. It multiplies the variety of a small dataset and is among the cheapest ways to reduce overfitting. It must keep the label true: a flipped chest X-ray puts the heart on the wrong side.",
  },
  {
    id: "elastic-deformation",
    term: "elastic deformation",
    lessons: ["data-problems"],
    definition:
      "An augmentation that bends an image smoothly, as soft tissue bends: random displacements on a coarse grid, interpolated to every pixel. Popularised for microscopy by the U-Net paper. For segmentation the mask is bent with the same displacement field.",
  },
  {
    id: "intensity-jitter",
    term: "intensity jitter",
    aliases: ["intensity and contrast jitter"],
    lessons: ["data-problems"],
    definition:
      "An augmentation that changes an image's brightness and contrast by a small random amount, because scanners, settings and protocols differ from one hospital to the next.",
  },
  {
    id: "early-stopping",
    term: "early stopping",
    lessons: ["data-problems"],
    definition:
      "Keeping the weights from the epoch where the validation score was best, instead of the last ones. It stops a model before it overfits (for example before it memorises noisy labels), but it needs a validation set with clean labels.",
  },
  {
    id: "warm-start",
    term: "warm start",
    lessons: ["gan"],
    definition:
      "Starting a training run from weights that already do something useful instead of from random ones. In the GAN lesson, the adversarial run first trains on the pixel loss alone, because a discriminator that has learnt nothing yet gives the generator noise, not advice.",
  },
  {
    id: "divergence",
    term: "divergence",
    aliases: ["diverge"],
    lessons: ["gan"],
    definition:
      "When training goes wrong and the loss grows without limit or becomes NaN (not a number), usually because the learning rate is too large. The lessons detect it, stop the run and say so. (Not to be confused with the KL divergence, a measure between two distributions.)",
  },

  // ── data
  {
    id: "training-set",
    term: "training set",
    aliases: ["training images", "training data"],
    lessons: ["transfer", "explain", "data-problems"],
    definition:
      "The examples the network learns from: it sees them, and its weights are changed to fit them. A score measured on the training set says how well the network fits, not how well it will do on new images.",
  },
  {
    id: "validation-set",
    term: "validation set",
    aliases: ["validation", "validation images", "validation data"],
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "Examples held out from training and used to watch it: the dots on a learning curve, the choice of when to stop, the comparison of settings. Because these choices are made by looking at it, the validation score is a little optimistic; the test set gives the honest one.",
  },
  {
    id: "test-set",
    term: "test set",
    aliases: ["test split"],
    lessons: ["cnn"],
    definition:
      "Examples kept apart until the very end and used once, to report how well the finished model does on images that played no part in any decision. MedMNIST files come with an official test split, so your score can be compared with the published one.",
  },
  {
    id: "label",
    term: "label",
    aliases: ["labelled", "unlabelled", "annotation"],
    lessons: ["cnn", "transfer", "data-problems", "autoencoders"],
    definition:
      "The right answer attached to a training image: a class (nodule / no nodule), a mask, or a set of boxes. In medicine labels come from experts, so they are scarce, costly and sometimes disputed, while the images themselves are plentiful: the theme of the survey's discussion.",
  },
  {
    id: "noisy-labels",
    term: "noisy labels",
    aliases: ["label noise", "symmetric noise", "one-way noise"],
    lessons: ["data-problems"],
    definition:
      "Training labels that are sometimes wrong, because experts disagree or make mistakes. Symmetric noise flips labels either way at random; one-way noise only turns positives into negatives (the missed finding of a tired reader). Networks learn the shared pattern first and memorise the wrong labels later.",
  },
  {
    id: "synthetic-data",
    term: "synthetic",
    aliases: ["synthetic data"],
    lessons: ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems"],
    definition:
      "Made by a program rather than taken from patients. The kit's built-in datasets (nodule patches, nuclei, ultrasound lesions, CT phantoms, shapes) are synthetic, made by its own seeded code: they imitate real images closely enough to teach the idea, and anyone can remake them exactly.",
  },
  {
    id: "multi-label",
    term: "multi-label",
    lessons: ["cnn"],
    definition:
      "A task where one image can have several labels at once (e.g. a chest X-ray with both effusion and nodule), so the network gives one independent yes/no probability per label (a sigmoid each) instead of choosing one class.",
  },
  {
    id: "npz",
    term: ".npz",
    aliases: ["npz file"],
    lessons: ["cnn", "unet", "detection"],
    definition:
      "NumPy's file format for a bundle of arrays (a zip of .npy files). MedMNIST and the kit's BBBC039 copy are .npz files with arrays such as train_images and train_labels; the lessons read them in your browser, without uploading them.",
  },
  {
    id: "class-imbalance",
    term: "class imbalance",
    aliases: ["imbalanced", "imbalance"],
    lessons: ["data-problems"],
    definition:
      'When one class is much rarer than the other, as abnormal findings are in screening. A network can then reach high accuracy by almost always answering "normal", so accuracy alone misleads; class weights, oversampling or focal loss shift the balance, and sensitivity, specificity and AUC show what is really learned.',
  },
  {
    id: "accuracy-paradox",
    term: "accuracy paradox",
    lessons: ["data-problems"],
    definition:
      'With rare positives, a useless model that always says "no finding" scores a very high accuracy (99% if one image in a hundred is positive), higher than a useful model that finds positives and makes some false alarms.',
  },
  {
    id: "majority-class-baseline",
    term: "majority-class baseline",
    lessons: ["data-problems"],
    definition:
      'The accuracy of a "model" that always answers the most common class. Any real model must beat it; a score close to it means nothing was learned.',
  },
  {
    id: "oversampling",
    term: "oversampling",
    lessons: ["data-problems"],
    definition:
      "A remedy for class imbalance: repeat the rare class's images in the training set until the classes are balanced. It adds no new information, and the repeated images are easier to memorise.",
  },
  {
    id: "class-weighted-loss",
    term: "class-weighted loss",
    aliases: ["class weights"],
    lessons: ["data-problems"],
    definition:
      "A remedy for class imbalance: multiply each image's loss by a weight that is larger for the rare class, so that in total both classes count equally. It trades false alarms for found positives.",
  },
  {
    id: "focal-loss",
    term: "focal loss",
    lessons: ["data-problems"],
    definition:
      "A loss (Lin et al., 2017) that multiplies cross-entropy by (1 − p)^γ, where p is the probability given to the right class. Images the network already gets right fade out of the loss, so the hard ones, often the rare class, drive training.",
  },
  {
    id: "cross-entropy",
    term: "cross-entropy",
    aliases: ["binary cross-entropy", "log loss"],
    lessons: ["data-problems"],
    definition:
      "The standard classification loss: minus the logarithm of the probability the network gave to the right answer. It is near 0 when the network is confidently right and grows without limit when it is confidently wrong. For segmentation it is averaged over pixels.",
  },
  {
    id: "sweep",
    term: "sweep",
    lessons: ["transfer", "data-problems", "autoencoders"],
    definition:
      "Running the same experiment many times while changing one setting (here the number of training images N) and repeating each with several seeds, then plotting the mean and spread. One run is one sample; a sweep shows a trend and how much of it is chance.",
  },
  {
    id: "standard-deviation",
    term: "standard deviation",
    lessons: ["transfer", "data-problems"],
    definition:
      "A measure of spread: roughly the typical distance of values from their mean. A band of ± one standard deviation around a mean line shows how much runs with different seeds disagree.",
  },
  {
    id: "pca",
    term: "principal component analysis",
    aliases: ["PCA", "principal components", "principal component"],
    lessons: ["transfer", "autoencoders"],
    definition:
      "A way to look at many numbers per image in two dimensions: the first principal component is the direction in which the images differ most, the second the next most, at right angles to it. Plotting each image by these two shows the biggest variations, which need not be the ones that separate the classes.",
  },

  // ── measuring results
  {
    id: "accuracy",
    term: "accuracy",
    lessons: ["cnn", "detection", "explain", "data-problems"],
    definition:
      "The fraction of answers that are right. Easy to read, but it depends on one threshold and on the class mix: with rare positives it mostly counts the negatives (see the accuracy paradox).",
  },
  {
    id: "threshold",
    term: "threshold",
    aliases: ["thresholded"],
    lessons: ["cnn", "unet", "detection", "data-problems", "autoencoders"],
    definition:
      "A cut-off value: scores (or pixel intensities) above it count as positive, below it as negative. Moving a model's threshold trades sensitivity against specificity; a threshold on intensity is also the oldest way to segment bright objects.",
  },
  {
    id: "sensitivity",
    term: "sensitivity",
    aliases: ["recall", "true positive rate"],
    lessons: ["cnn", "detection", "data-problems"],
    definition:
      "The fraction of real positives the model finds (also called recall or true positive rate). In screening it is the number that matters most: a missed finding can cost a life.",
  },
  {
    id: "specificity",
    term: "specificity",
    lessons: ["data-problems"],
    definition:
      "The fraction of real negatives the model correctly calls negative. One minus specificity is the false positive rate, the x-axis of a ROC curve.",
  },
  {
    id: "balanced-accuracy",
    term: "balanced accuracy",
    lessons: ["data-problems"],
    definition:
      "The mean of sensitivity and specificity: what accuracy would be with as many positives as negatives. 0.5 is guessing, whatever the class mix, so it is not fooled by imbalance.",
  },
  {
    id: "false-positive",
    term: "false positive",
    aliases: ["false alarm", "false-positive"],
    lessons: ["cnn", "unet", "detection", "data-problems"],
    definition:
      "A positive answer where there is nothing: a vessel called a nodule, background called nucleus. In screening a false alarm costs a radiologist's time and a patient's worry.",
  },
  {
    id: "false-negative",
    term: "false negative",
    aliases: ["missed finding"],
    lessons: ["unet", "data-problems"],
    definition:
      "A negative answer where there is a finding: a missed nodule, a nucleus pixel called background. Usually the costlier mistake in screening.",
  },
  {
    id: "confusion-matrix",
    term: "confusion matrix",
    lessons: ["cnn"],
    definition:
      "A table of counts: rows are the true classes, columns the predicted ones. The diagonal holds the right answers; the off-diagonal cells are the two kinds of mistake (false positives and false negatives), which usually cost different things.",
  },
  {
    id: "roc-curve",
    term: "ROC curve",
    aliases: ["ROC", "receiver operating characteristic"],
    lessons: ["cnn", "autoencoders"],
    definition:
      "Receiver operating characteristic: sensitivity plotted against the false positive rate (1 − specificity) as the threshold sweeps from high to low. A curve that hugs the top-left corner separates the classes well; the diagonal is guessing.",
  },
  {
    id: "auc",
    term: "AUC",
    aliases: ["area under the ROC curve", "area under the curve"],
    lessons: ["cnn", "transfer", "explain", "data-problems", "autoencoders"],
    definition:
      "Area under the ROC curve: the chance that the model scores a random positive image higher than a random negative one. 0.5 is guessing, 1 is perfect. It does not depend on a threshold or on the class mix, which makes it MedMNIST's headline metric.",
  },
  {
    id: "screening",
    term: "screening",
    lessons: ["cnn", "data-problems"],
    definition:
      "Examining many people without symptoms to find a disease early, e.g. lung CT or mammography. Most images show nothing, so findings are rare (class imbalance) and sensitivity matters most.",
  },
  {
    id: "calibration",
    term: "calibration",
    aliases: ["calibrated", "over-confident", "under-confident"],
    lessons: ["explain"],
    definition:
      "Whether a model's confidence can be taken at its word: of all the answers given with 80% confidence, are 80% right? Large networks are often over-confident. A reliability diagram shows calibration; temperature scaling improves it without changing the ranking.",
  },
  {
    id: "reliability-diagram",
    term: "reliability diagram",
    lessons: ["explain"],
    definition:
      "A chart of calibration: predictions are grouped (binned) by confidence, and each bin's accuracy is plotted against its mean confidence. Points on the diagonal are perfectly calibrated; below it the model is over-confident.",
  },
  {
    id: "ece",
    term: "expected calibration error",
    aliases: ["ECE"],
    lessons: ["explain"],
    definition:
      "The average gap between confidence and accuracy over the bins of a reliability diagram, weighted by how many predictions each bin holds. 0 is perfectly calibrated.",
  },
  {
    id: "temperature-scaling",
    term: "temperature scaling",
    lessons: ["explain"],
    definition:
      "A one-number fix for calibration (Guo et al., 2017): divide the network's raw scores by a temperature T before the softmax, with T fitted on validation data. T > 1 softens an over-confident model, T < 1 sharpens an under-confident one; the ranking of the images, hence accuracy and AUC, does not change.",
  },

  // ── segmentation
  {
    id: "segmentation",
    term: "segmentation",
    aliases: ["segment", "segmenting", "segmented"],
    lessons: ["unet", "detection", "data-problems"],
    definition:
      "Labelling every pixel of an image (nucleus or background, organ or not), rather than giving the whole image one label. Its output is a mask. The survey's §3.3 reviews segmentation of organs, substructures and lesions.",
  },
  {
    id: "mask",
    term: "mask",
    aliases: ["segmentation mask"],
    lessons: ["unet", "detection", "data-problems", "autoencoders"],
    definition:
      "An image of labels the same size as the input: 1 where the object is, 0 elsewhere (or one number per class). It is what a segmentation network is trained to draw, and what it is scored against.",
  },
  {
    id: "u-net",
    term: "U-Net",
    lessons: ["unet", "data-problems"],
    definition:
      'The segmentation network of Ronneberger et al. (2015): an encoder that shrinks the image level by level, a decoder that grows it back, and skip connections that copy each encoder map across to the decoder level of the same size. Drawn as a "U". The survey calls it the best known segmentation architecture.',
  },
  {
    id: "encoder",
    term: "encoder",
    lessons: ["unet", "autoencoders"],
    definition:
      "The half of a network that compresses its input: convolutions and pooling that halve the size and add filters at each level, so deep levels know what is in a large region but only roughly where. In an auto-encoder it produces the code.",
  },
  {
    id: "decoder",
    term: "decoder",
    lessons: ["unet", "autoencoders"],
    definition:
      "The half of a network that expands a compact representation back to a full-size image, level by level, with upsampling and convolutions: the segmentation mask in a U-Net, the reconstruction in an auto-encoder.",
  },
  {
    id: "skip-connection",
    term: "skip connection",
    aliases: ["skips", "skip"],
    lessons: ["unet"],
    definition:
      "A connection that copies a feature map past some layers and combines it with a later one. In a U-Net the encoder's full-resolution maps go straight to the decoder, carrying the fine detail (exact edges, thin gaps between touching nuclei) that the coarse bottleneck has lost.",
  },
  {
    id: "bottleneck",
    term: "bottleneck",
    lessons: ["unet", "autoencoders"],
    definition:
      "The narrowest point of an encoder–decoder: the smallest map of a U-Net, or the short code of an auto-encoder. Everything the decoder draws must pass through it, unless skip connections carry detail around it.",
  },
  {
    id: "upsampling",
    term: "upsampling",
    aliases: ["upsample", "up-sample", "up-samples", "up-sampling", "resizing"],
    lessons: ["unet"],
    definition:
      "Making a feature map larger, e.g. doubling its width and height: by a transposed convolution, or by resizing (repeating or interpolating pixels) and then convolving. The decoder of a U-Net upsamples back to full size.",
  },
  {
    id: "transposed-convolution",
    term: "transposed convolution",
    aliases: ["up-convolution"],
    lessons: ["unet"],
    definition:
      "A learned upsampling layer: each input value stamps a copy of the filter, scaled by that value, onto a larger output, at every stride-th position, and overlapping stamps add up. When the filter is wider than the stride, some output pixels get more stamps than others, which prints a checkerboard pattern.",
  },
  {
    id: "checkerboard-artifacts",
    term: "checkerboard artifacts",
    aliases: ["checkerboard"],
    lessons: ["unet"],
    definition:
      "A regular grid pattern in an upsampled image (Odena et al., 2016), caused by the uneven overlap of a transposed convolution whose kernel is not a multiple of its stride. Resizing before convolving avoids it.",
  },
  {
    id: "stride",
    term: "stride",
    aliases: ["strided"],
    lessons: ["unet", "gan", "detection"],
    definition:
      "How far a filter moves between positions. Stride 1 visits every pixel; stride 2 every other one, halving the output size (a strided convolution shrinks a map like pooling does).",
  },
  {
    id: "dice",
    term: "Dice",
    aliases: ["Dice coefficient", "Dice score"],
    lessons: ["unet"],
    definition:
      "The standard overlap score for segmentation: 2 × |predicted ∩ true| / (|predicted| + |true|), counting pixels. 1 is a perfect match, 0 no overlap. Unlike pixel accuracy it ignores the (usually huge) background both masks agree on.",
  },
  {
    id: "soft-dice",
    term: "soft Dice",
    aliases: ["soft Dice loss", "Dice loss"],
    lessons: ["unet"],
    definition:
      "Dice computed from the network's probabilities instead of thresholded pixels, so it has a gradient and can be used as a loss (1 − soft Dice). Trained on it, a network optimises overlap directly, which helps when the object is small; the U-Net lesson can combine it with cross-entropy.",
  },
  {
    id: "iou",
    term: "IoU",
    aliases: ["intersection over union", "Jaccard index"],
    lessons: ["unet"],
    definition:
      "Intersection over union: |predicted ∩ true| / |predicted ∪ true|. For the same masks it is never above Dice (IoU = Dice / (2 − Dice)); the two agree at 0 and 1.",
  },
  {
    id: "boundary-dice",
    term: "boundary Dice",
    lessons: ["unet"],
    definition:
      "Dice counted only over the pixels near the true object's edge (here within 2 pixels). It shows whether a segmentation gets the outline right, where skip connections matter most, which the ordinary Dice of a large object hides.",
  },
  {
    id: "otsu",
    term: "Otsu's method",
    aliases: ["Otsu"],
    lessons: ["unet"],
    definition:
      "A classic automatic threshold (Otsu, 1979): it picks the intensity that splits an image's histogram into two groups that are as tight as possible. A strong baseline for evenly lit, high-contrast images.",
  },
  {
    id: "baseline",
    term: "baseline",
    lessons: ["unet", "data-problems", "autoencoders"],
    definition:
      "A simple method to compare against: a threshold, a majority-class guess, a brightness score, or the same network without the change under test. A result only means something next to a fair baseline.",
  },
  {
    id: "ablation",
    term: "ablation",
    lessons: ["unet"],
    definition:
      "An experiment that removes one part of a model (e.g. the skip connections) and keeps everything else the same, to measure what that part contributes.",
  },

  // ── detection
  {
    id: "detection",
    term: "detection",
    lessons: ["cnn", "detection"],
    definition:
      "Finding where objects are in an image, e.g. every nodule in a CT slice, and not only whether there is one. A detector's output is a list of candidate positions with scores, scored by how many real objects it finds per false alarm (FROC).",
  },
  {
    id: "sliding-window",
    term: "sliding window",
    lessons: ["detection"],
    definition:
      "Running a patch classifier on the patch around every position of a large image to build a map of scores. Simple, but wasteful: overlapping patches are computed again and again. A fully convolutional network gives the same map in one pass.",
  },
  {
    id: "fully-convolutional",
    term: "fully convolutional network",
    aliases: ["fully convolutional", "FCN"],
    lessons: ["unet", "detection"],
    definition:
      "A network made only of convolutions (and pooling), with no dense layer, so it takes an image of any size and returns a map of the same layout. A classifier's dense layer can be rewritten as a convolution to make it fully convolutional. The survey's detection and segmentation networks (U-Net among them) are of this kind.",
  },
  {
    id: "heatmap",
    term: "heatmap",
    aliases: ["probability map"],
    lessons: ["unet", "detection"],
    definition:
      "An image of scores: at every position, how strongly the network believes the object is there. Thresholding it and keeping local peaks turns it into detections.",
  },
  {
    id: "nms",
    term: "non-maximum suppression",
    aliases: ["NMS"],
    lessons: ["detection"],
    definition:
      "Keeping only the local peaks of a heatmap: a position survives only if no neighbour within some radius has a higher score, so one blob gives one candidate instead of dozens.",
  },
  {
    id: "froc",
    term: "FROC curve",
    aliases: ["FROC", "free-response ROC"],
    lessons: ["detection"],
    definition:
      "Free-response ROC: the fraction of objects found (sensitivity) against the average number of false alarms per image, as the detection threshold is lowered. It is how lung-nodule detectors are compared, because pixel accuracy is dominated by the background.",
  },
  {
    id: "cpm",
    term: "CPM",
    aliases: ["competition performance metric"],
    lessons: ["detection"],
    definition:
      "Competition performance metric of the LUNA16 challenge: the mean sensitivity of a FROC curve at 1/8, 1/4, 1/2, 1, 2, 4 and 8 false positives per scan. One number for a whole detector.",
  },
  {
    id: "pixel-accuracy",
    term: "pixel accuracy",
    lessons: ["detection"],
    definition:
      "The fraction of pixels (or heatmap cells) labelled right. For small objects on a large background it is nearly perfect even for a detector that finds nothing, which is why detection uses FROC and segmentation uses Dice.",
  },
  {
    id: "hard-negative-mining",
    term: "hard-negative mining",
    aliases: ["hard negatives", "hard negative"],
    lessons: ["cnn", "detection"],
    definition:
      "Searching the training images for the negatives the current model gets most wrong (its surest false alarms) and training on them next. Random negatives are mostly easy background; the hard ones teach the network the look-alikes.",
  },
  {
    id: "luna16",
    term: "LUNA16",
    lessons: ["detection"],
    definition:
      "Lung Nodule Analysis 2016: a public challenge for finding nodules in chest CT, built from LIDC-IDRI scans and scored with FROC and the CPM.",
  },

  // ── medical imaging and datasets
  {
    id: "ct",
    term: "computed tomography",
    aliases: ["CT"],
    lessons: ["cnn", "gan", "detection", "data-problems"],
    definition:
      "An X-ray scanner that turns around the patient, measures how much of the beam passes through along many lines, and reconstructs cross-sectional images (slices) of the body from those measurements. Pixel values are attenuation, in Hounsfield units.",
  },
  {
    id: "x-ray",
    term: "X-ray",
    aliases: ["chest X-ray", "radiograph"],
    lessons: ["transfer", "gan", "explain", "data-problems"],
    definition:
      "A projection image: X-rays pass through the body onto a detector, and dense tissue (bone) blocks more of them. A chest X-ray is the most common medical image; CT builds slices from many X-ray projections.",
  },
  {
    id: "ultrasound",
    term: "ultrasound",
    lessons: ["transfer"],
    definition:
      "Imaging with sound waves: echoes from tissue boundaries build the image. Ultrasound images are grainy with speckle, and lesions are judged largely by their shape and margin.",
  },
  {
    id: "nodule",
    term: "lung nodule",
    aliases: ["nodule"],
    lessons: ["cnn", "detection", "explain", "data-problems", "autoencoders"],
    definition:
      "A small, roughly round spot in the lung on CT, a few millimetres to 3 cm across. Most are harmless, some are early lung cancer, which is why screening looks for them. Vessels cut across look much like small nodules, the classic look-alikes.",
  },
  {
    id: "lesion",
    term: "lesion",
    lessons: ["transfer", "unet", "detection"],
    definition:
      "Any abnormal region of tissue, such as a tumour, a cyst or a scar. Classifying a lesion as benign or malignant is one of the survey's tasks (§3.1.2).",
  },
  {
    id: "benign-malignant",
    term: "malignant",
    aliases: ["benign"],
    lessons: ["transfer", "autoencoders"],
    definition:
      "A malignant lesion is cancerous: it can grow into surrounding tissue and spread. A benign one is not. In breast ultrasound, benign lesions tend to be smooth ovals; malignant ones tend to have irregular or spiculated margins.",
  },
  {
    id: "bi-rads",
    term: "BI-RADS",
    lessons: ["transfer"],
    definition:
      "Breast Imaging Reporting and Data System: the American College of Radiology's standard words and categories for breast imaging reports. Its lexicon describes a lesion's shape, orientation and margin (circumscribed, irregular, spiculated…), the cues the transfer lesson's synthetic ultrasound is built on.",
  },
  {
    id: "speckle",
    term: "speckle",
    lessons: ["transfer", "explain"],
    definition:
      "The grainy texture of ultrasound (and other coherent imaging): echoes from many tiny scatterers interfere, brightening some spots and cancelling others. It is not random noise on top of the image; it is part of how ultrasound forms it.",
  },
  {
    id: "fluorescence-microscopy",
    term: "fluorescence microscopy",
    lessons: ["unet", "detection"],
    definition:
      "Microscopy in which a stain glows under light of one colour; stained cell nuclei appear as bright blobs on a dark background. Uneven illumination, dim nuclei and touching nuclei make segmenting them harder than it looks.",
  },
  {
    id: "digital-pathology",
    term: "digital pathology",
    lessons: ["unet"],
    definition:
      "Pathology done on scanned microscope slides of tissue. One of the survey's application areas (§4.4), with tasks such as counting and segmenting nuclei.",
  },
  {
    id: "medmnist",
    term: "MedMNIST",
    aliases: ["PneumoniaMNIST", "BreastMNIST", "ChestMNIST"],
    lessons: ["cnn", "transfer", "gan", "explain", "data-problems", "autoencoders"],
    definition:
      "A collection of small, standardised medical image datasets (Yang et al., 2023), e.g. PneumoniaMNIST (chest X-rays, pneumonia or normal), BreastMNIST (breast ultrasound, benign or malignant) and ChestMNIST (14 findings, multi-label), at 28×28 pixels and larger, each with official train/validation/test splits and published baseline results.",
  },
  {
    id: "bbbc039",
    term: "BBBC039",
    lessons: ["unet", "detection"],
    definition:
      "A public set of fluorescence microscopy images of cell nuclei with hand-drawn masks, from the Broad Bioimage Benchmark Collection. The U-Net and detection lessons read it as real data.",
  },
  {
    id: "lidc-idri",
    term: "LIDC-IDRI",
    lessons: ["data-problems"],
    definition:
      "Lung Image Database Consortium and Image Database Resource Initiative: a public collection of about a thousand chest CT scans, each read by up to four radiologists who marked nodules and often disagreed. The source of much of the lung-nodule work the survey reviews, and of LUNA16.",
  },
  {
    id: "imagenet",
    term: "ImageNet",
    lessons: ["transfer"],
    definition:
      "A large dataset of everyday photographs (over a million labelled with a thousand classes) on which most pretrained networks were trained. It is the usual source task of transfer learning in the papers the survey reviews.",
  },
  {
    id: "resnet",
    term: "ResNet",
    aliases: ["ResNet-18"],
    lessons: ["cnn"],
    definition:
      "Residual network (He et al., 2016): a deep CNN built from residual blocks, whose shortcut connections let networks of dozens of layers train. ResNet-18 (18 layers) is one of the baselines MedMNIST publishes for each dataset, the one the CNN lesson shows beside your result.",
  },
  {
    id: "phantom",
    term: "phantom",
    aliases: ["Shepp–Logan phantom"],
    lessons: ["gan"],
    definition:
      "A test object with known contents, scanned to check a scanner or a reconstruction method; here a digital one, made of ellipses. The Shepp–Logan head phantom is the standard test image of CT.",
  },
  {
    id: "dose",
    term: "dose",
    aliases: ["low-dose", "low-dose CT", "full-dose"],
    lessons: ["gan"],
    definition:
      "The amount of X-ray radiation a scan gives the patient. A lower dose is safer but means fewer photons reach the detectors, so each measurement is noisier and the reconstructed image is grainy and streaky. Denoising aims to give low-dose scans full-dose quality.",
  },
  {
    id: "attenuation",
    term: "attenuation",
    aliases: ["attenuation map"],
    lessons: ["gan"],
    definition:
      "How strongly tissue weakens an X-ray beam passing through it. Bone attenuates more than soft tissue, soft tissue more than air. A CT image is a map of attenuation.",
  },
  {
    id: "sinogram",
    term: "sinogram",
    lessons: ["gan"],
    definition:
      "The raw data of a CT scan: the measured line sums of attenuation through the body for every detector cell and every angle, drawn as an image (a point in the body traces a sine curve in it, hence the name). Reconstruction turns it back into a slice.",
  },
  {
    id: "poisson-noise",
    term: "Poisson noise",
    aliases: ["photon noise"],
    lessons: ["gan"],
    definition:
      "The randomness of counting photons: if on average N photons arrive, the count varies by about √N. Fewer photons (a lower dose) means relatively larger variation, which is where low-dose CT noise comes from.",
  },
  {
    id: "fbp",
    term: "filtered back-projection",
    aliases: ["FBP", "back-projection"],
    lessons: ["gan"],
    definition:
      "The classic CT reconstruction: filter each projection with a ramp filter, then smear (back-project) it across the image along the lines it was measured on, and add up all angles. Fast and exact for perfect data; with noisy data the ramp filter amplifies fine-scale noise into CT's typical streaks and grain.",
  },
  {
    id: "ramp-filter",
    term: "ramp filter",
    lessons: ["gan"],
    definition:
      "The filter of filtered back-projection: it multiplies each spatial frequency of a projection by its frequency, undoing the blur of plain back-projection. It boosts the highest frequencies most, so it pushes photon noise into fine detail.",
  },
  {
    id: "display-window",
    term: "display window",
    aliases: ["lung window", "soft-tissue window"],
    lessons: ["gan", "detection"],
    definition:
      "The range of CT values mapped from black to white on screen (window level and width). A lung window shows air-filled lung and vessels; a narrow soft-tissue window stretches the small differences between soft tissues, making texture and noise visible.",
  },

  // ── image quality and frequencies
  {
    id: "denoising",
    term: "denoising",
    aliases: ["denoiser", "denoise", "denoised"],
    lessons: ["gan", "autoencoders"],
    definition:
      "Removing noise from an image while keeping its real content. A denoising network is trained on pairs of noisy and clean images and learns to estimate the clean one.",
  },
  {
    id: "pixel-loss",
    term: "pixel loss",
    lessons: ["gan"],
    definition:
      "A loss that compares output and target pixel by pixel, such as L1 or MSE. When the network cannot know the exact noise, the output that minimises it is an average (or median) of all plausible clean images, so fine texture is washed out and the result looks smooth and waxy.",
  },
  {
    id: "l1",
    term: "L1",
    aliases: ["mean absolute error", "MAE"],
    lessons: ["gan"],
    definition:
      "The mean absolute error: the average of |output − target| over the pixels. Minimising it pushes each pixel towards the median of its plausible values; it penalises large errors less harshly than MSE.",
  },
  {
    id: "mse",
    term: "mean squared error",
    aliases: ["MSE", "squared error"],
    lessons: ["gan", "autoencoders"],
    definition:
      "The average of (output − target)² over the pixels. Minimising it pushes each pixel towards the mean of its plausible values. PSNR is a logarithmic rescaling of it.",
  },
  {
    id: "psnr",
    term: "PSNR",
    aliases: ["peak signal-to-noise ratio"],
    lessons: ["gan", "autoencoders"],
    definition:
      "Peak signal-to-noise ratio: 10·log₁₀(peak² / MSE), in decibels. Higher is better; +3 dB halves the mean squared error. It rewards the average answer, so a blurry image can score well: read it with SSIM and a texture measure.",
  },
  {
    id: "ssim",
    term: "SSIM",
    aliases: ["structural similarity"],
    lessons: ["gan"],
    definition:
      "Structural similarity index (Wang et al., 2004): compares local brightness, contrast and structure of two images in small windows; 1 means identical. Closer to human judgement than PSNR, but it also favours smooth images.",
  },
  {
    id: "decibel",
    term: "dB",
    aliases: ["decibel"],
    lessons: ["gan", "autoencoders"],
    definition:
      "Decibel: a logarithmic unit for ratios, 10·log₁₀ of a power ratio. +10 dB is ten times the ratio, +3 dB about twice.",
  },
  {
    id: "spatial-frequency",
    term: "spatial frequency",
    aliases: ["spatial frequencies", "high frequencies", "high-frequency", "frequencies"],
    lessons: ["gan"],
    definition:
      "How quickly brightness changes across an image: low frequencies are large smooth shapes, high frequencies fine detail, edges, texture and grain. Measured in cycles per pixel.",
  },
  {
    id: "cycles-per-pixel",
    term: "cycles per pixel",
    lessons: ["gan"],
    definition:
      "The unit of spatial frequency on a pixel grid: how many full dark-to-bright-to-dark waves fit in one pixel. 0.5 cycles per pixel (alternating pixels) is the finest pattern a grid can hold, the Nyquist frequency.",
  },
  {
    id: "power-spectrum",
    term: "power spectrum",
    aliases: ["spectrum", "spectra"],
    lessons: ["gan"],
    definition:
      "An image's variation split by spatial frequency (via the Fourier transform): how much power, the squared amplitude, sits at each scale, from large smooth shapes to fine grain. Comparing spectra shows whether a denoiser kept the fine texture or smoothed it away.",
  },
  {
    id: "noise-power-spectrum",
    term: "noise power spectrum",
    aliases: ["NPS"],
    lessons: ["gan"],
    definition:
      "The power spectrum of noise or error (e.g. output − target): how much error is left at each spatial frequency. In CT it shows the noise's texture, which the ramp filter of FBP pushes to high frequencies.",
  },
  {
    id: "high-frequency-power-ratio",
    term: "high-frequency power ratio",
    aliases: ["high-frequency ratio"],
    lessons: ["gan"],
    definition:
      "The kit's texture number: the power of an output's fine detail (spatial frequencies above a quarter of the finest the grid holds) divided by the target's. Below 1 the output is smoother than the target; above 1 it has more fine detail, or noise. Never read alone: a noisy image wins on it.",
  },
  {
    id: "over-smoothing",
    term: "over-smoothing",
    aliases: ["smoothed away", "washed out"],
    lessons: ["gan"],
    definition:
      "Removing real fine detail together with the noise, leaving a waxy, plastic-looking image. A typical result of training a denoiser on a pixel loss alone, and invisible to PSNR.",
  },

  // ── generative models
  {
    id: "generative-model",
    term: "generative model",
    lessons: ["gan", "autoencoders"],
    definition:
      "A model that produces new images rather than labels: it learns what images of a kind look like, and can draw new ones (VAE, GAN) or turn one image into another (a denoiser trained adversarially).",
  },
  {
    id: "gan",
    term: "generative adversarial network",
    aliases: ["GAN"],
    lessons: ["gan", "autoencoders"],
    definition:
      "Two networks trained against each other (Goodfellow et al., 2014): a generator makes images, and a discriminator learns to tell them from real ones; the generator is trained to fool it. The survey (§2.6.3) notes GANs had not yet been applied to medical images; they were soon after, e.g. for low-dose CT denoising (Wolterink et al., 2017).",
  },
  {
    id: "generator",
    term: "generator",
    lessons: ["gan"],
    definition:
      "In a GAN, the network that makes the images, here the denoiser that turns a low-dose image into an estimate of the full-dose one. It is trained to make outputs the discriminator takes for real.",
  },
  {
    id: "discriminator",
    term: "discriminator",
    aliases: ["discriminator loss"],
    lessons: ["gan"],
    definition:
      'In a GAN, the network that judges "real or generated?". Its loss at ln 2 ≈ 0.69 means it cannot tell (a coin toss); near 0 it always can, and then the generator gets no useful gradient.',
  },
  {
    id: "adversarial-loss",
    term: "adversarial loss",
    aliases: ["adversarial"],
    lessons: ["gan"],
    definition:
      "The generator's loss from the discriminator: high when the discriminator spots its outputs as fake. Added to a pixel loss with a weight λ, it pushes a denoiser towards realistic texture instead of a smooth average.",
  },
  {
    id: "patchgan",
    term: "PatchGAN",
    lessons: ["gan"],
    definition:
      "A discriminator that gives one real-or-fake verdict per patch of the image instead of one for the whole image (Isola et al., 2017), so it judges local texture. A few strided convolutions make one.",
  },
  {
    id: "mode-collapse",
    term: "mode collapse",
    lessons: ["gan"],
    definition:
      "A GAN failure in which the generator finds one output that fools the discriminator and gives it (nearly) whatever the input, losing the variety of real images.",
  },

  // ── transfer learning
  {
    id: "transfer-learning",
    term: "transfer learning",
    aliases: ["transfer"],
    lessons: ["cnn", "transfer", "autoencoders"],
    definition:
      "Reusing a network trained on one task (the source, often ImageNet photos) for another (the target, e.g. a small medical dataset), either as fixed features or by fine-tuning. It helps when the target has few labels and the source taught features the target needs.",
  },
  {
    id: "pretraining",
    term: "pretraining",
    aliases: ["pretrained", "pretrain", "pre-trained"],
    lessons: ["cnn", "transfer", "autoencoders"],
    definition:
      "Training a network first on a large source task (or, for an auto-encoder, on unlabelled images) so that its layers start the real task with useful features instead of random weights.",
  },
  {
    id: "fine-tuning",
    term: "fine-tuning",
    aliases: ["fine-tuned", "fine-tune", "fine-tunes"],
    lessons: ["transfer", "autoencoders"],
    definition:
      "Transfer learning in which the pretrained layers keep learning on the target task, usually with a smaller learning rate, together with a new classifier head.",
  },
  {
    id: "frozen-features",
    term: "frozen features",
    aliases: ["frozen", "feature extractor", "fixed feature extractor"],
    lessons: ["transfer", "autoencoders"],
    definition:
      "Transfer learning in which the pretrained layers are kept fixed and only a new classifier head is trained. Fast (no gradient flows through the frozen layers) and hard to overfit, but the features can only be as good as the source task made them.",
  },
  {
    id: "from-scratch",
    term: "from scratch",
    aliases: ["training from scratch"],
    lessons: ["transfer", "gan", "autoencoders"],
    definition:
      "Training a network from random weights on the target task alone, with no pretraining: the baseline transfer learning must beat.",
  },
  {
    id: "source-target",
    term: "source task",
    aliases: ["target task", "source model"],
    lessons: ["transfer"],
    definition:
      "In transfer learning, the source task is the large one a network is pretrained on; the target task is the (usually small) one you actually care about.",
  },
  {
    id: "linear-probe",
    term: "linear probe",
    lessons: ["autoencoders"],
    definition:
      "A test of what a set of features holds: train only a linear classifier (one dense layer) on top of the frozen features. If it separates the classes, the information is there in a simple form.",
  },

  // ── explaining and trusting a network
  {
    id: "black-box",
    term: "black box",
    aliases: ["black-box"],
    lessons: ["explain"],
    definition:
      "A system whose inputs and outputs we see but whose reasons we do not. Deep networks are often called black boxes, a concern the survey's discussion raises for clinical use; saliency methods try to open them.",
  },
  {
    id: "saliency",
    term: "saliency",
    aliases: ["saliency map", "gradient saliency"],
    lessons: ["explain"],
    definition:
      "A map of how much the class score changes when each pixel changes (the gradient with respect to the input, Simonyan et al., 2014). Fast but speckled, and it may show the image's edges rather than the network's reasons: run the sanity check.",
  },
  {
    id: "smoothgrad",
    term: "SmoothGrad",
    lessons: ["explain"],
    definition:
      "Saliency averaged over many noisy copies of the image (Smilkov et al., 2017). The speckle averages out and the stable structure stays.",
  },
  {
    id: "grad-cam",
    term: "Grad-CAM",
    lessons: ["explain"],
    definition:
      "Gradient-weighted class activation mapping (Selvaraju et al., 2017): at a convolution layer, each feature map is weighted by the average gradient of the class score over it, the weighted maps are summed, and only the positive part is kept. Coarse but class-specific.",
  },
  {
    id: "hirescam",
    term: "HiResCAM",
    lessons: ["explain"],
    definition:
      "A variant of Grad-CAM (Draelos & Carin, 2020) that multiplies each feature map by its gradient position by position instead of by the gradient's average, so evidence that sits in one place is not averaged away.",
  },
  {
    id: "occlusion",
    term: "occlusion",
    lessons: ["explain"],
    definition:
      "Explaining a prediction by hiding parts of the image: a grey patch slides over it, and the map shows how much the predicted class's probability drops with each spot hidden. No gradients: it asks the model directly, at the cost of one prediction per position.",
  },
  {
    id: "sanity-check",
    term: "sanity check",
    aliases: ["cascading randomisation", "cascading randomization"],
    lessons: ["explain"],
    definition:
      "A test of an explanation method (Adebayo et al., 2018): replace the trained weights by random ones, layer by layer from the output down, and see whether the map changes. A map that stays the same was showing the image, not the network's reasons.",
  },
  {
    id: "rank-correlation",
    term: "rank correlation",
    lessons: ["explain"],
    definition:
      "How similar two lists are in order (Spearman's correlation): 1 if they rank things the same, 0 if unrelated. Used to compare a saliency map before and after randomising the network.",
  },
  {
    id: "shortcut",
    term: "shortcut",
    aliases: ["shortcut learning"],
    lessons: ["explain"],
    definition:
      "A cue that predicts the label in the training data but is not the disease: a text overlay, a ruler, a hospital's marker. A network takes the easiest cue it finds and then fails where the cue is missing. Explanation maps can catch it.",
  },
  {
    id: "uncertainty",
    term: "uncertainty",
    aliases: ["uncertain", "unsure"],
    lessons: ["explain"],
    definition:
      "How much a model doubts its answer. A useful uncertainty is high on the images it gets wrong, so those can be sent to a human; MC dropout and the predictive entropy are one way to measure it.",
  },
  {
    id: "mc-dropout",
    term: "Monte Carlo dropout",
    aliases: ["MC dropout", "MC-dropout"],
    lessons: ["explain"],
    definition:
      "Keeping dropout switched on when predicting (Gal & Ghahramani, 2016) and running the image through the network many times: each pass drops different units and gives a slightly different answer. Their mean is the prediction; their spread measures the model's uncertainty.",
  },
  {
    id: "predictive-entropy",
    term: "predictive entropy",
    aliases: ["entropy"],
    lessons: ["explain"],
    definition:
      "The entropy of a predicted probability distribution: 0 when the model is certain, largest (ln 2 ≈ 0.69 for two classes) when it is a coin flip. Computed on the mean of MC-dropout passes, it measures uncertainty.",
  },
  {
    id: "referral-curve",
    term: "referral curve",
    aliases: ["refer", "referred"],
    lessons: ["explain"],
    definition:
      "A chart of accuracy on the images the model keeps, as more and more of its least certain images are referred to a radiologist. If the uncertainty means anything, the accuracy of the kept images rises.",
  },

  // ── auto-encoders
  {
    id: "unsupervised",
    term: "unsupervised learning",
    aliases: ["unsupervised"],
    lessons: ["autoencoders"],
    definition:
      "Learning from images without labels: finding structure (a compact code, clusters, what is normal) from the images alone. Useful in medicine, where images are plentiful and labels scarce.",
  },
  {
    id: "autoencoder",
    term: "auto-encoder",
    aliases: ["autoencoder"],
    lessons: ["autoencoders"],
    definition:
      "A network trained to give back its own input through a narrow bottleneck: an encoder squeezes the image into a short code and a decoder rebuilds the image from it. To do so, the code has to capture what varies most between images; no labels are needed.",
  },
  {
    id: "denoising-autoencoder",
    term: "denoising auto-encoder",
    lessons: ["autoencoders"],
    definition:
      "An auto-encoder given a corrupted input (noise added or pixels masked) and trained to return the clean image, so it cannot simply copy its input and must learn what images look like.",
  },
  {
    id: "stacked-autoencoder",
    term: "stacked auto-encoder",
    lessons: ["autoencoders"],
    definition:
      "Several auto-encoders trained one after another, each on the codes of the one before, then stacked into a deep network and fine-tuned with labels: a common way to pretrain networks in the papers the survey reviews (§2.6.1).",
  },
  {
    id: "code-space",
    term: "code space",
    aliases: ["latent space", "latent code"],
    lessons: ["autoencoders"],
    definition:
      "An auto-encoder's code is the short list of numbers its encoder makes from an image (also called the latent representation); the code space is the space of all such codes, one point per image. Images that are alike get nearby codes, so plotting the codes shows what the network found, and decoding points between two codes walks from one image to the other.",
  },
  {
    id: "reconstruction",
    term: "reconstruction",
    aliases: ["reconstruction error", "reconstruct", "reconstructed"],
    lessons: ["gan", "autoencoders"],
    definition:
      "What an auto-encoder gives back, its attempt to rebuild the input from the code; the reconstruction error is the difference. (In CT, reconstruction means something else: computing the slice from the measured projections, as filtered back-projection does.)",
  },
  {
    id: "masking",
    term: "masking",
    lessons: ["autoencoders"],
    definition:
      "A corruption for a denoising auto-encoder: a random fraction of the pixels is set to zero and the network must fill them in from the rest.",
  },
  {
    id: "gaussian-noise",
    term: "Gaussian noise",
    lessons: ["autoencoders"],
    definition:
      "Random noise drawn from a normal (bell-shaped) distribution and added to every pixel independently: the simplest corruption for a denoising auto-encoder (real CT noise is more structured).",
  },
  {
    id: "vae",
    term: "variational auto-encoder",
    aliases: ["VAE"],
    lessons: ["gan", "autoencoders"],
    definition:
      "An auto-encoder whose encoder gives a mean and a spread for every code number, and whose decoder gets a random sample from that distribution (Kingma & Welling, 2014). A KL term pulls all codes towards a standard normal distribution, so any code drawn from it decodes to something image-like: a generative model.",
  },
  {
    id: "reparameterisation-trick",
    term: "reparameterisation trick",
    aliases: ["reparameterization trick"],
    lessons: ["autoencoders"],
    definition:
      "Writing a VAE's random code as mean + spread × noise, with the noise drawn separately, so that the gradient can flow through the mean and the spread to the encoder.",
  },
  {
    id: "kl-divergence",
    term: "KL divergence",
    aliases: ["Kullback–Leibler divergence", "KL"],
    lessons: ["autoencoders"],
    definition:
      "Kullback–Leibler divergence: a measure of how different one probability distribution is from another (0 when they are the same). In a VAE it is the loss term that pulls each image's code distribution towards the standard normal, weighted by β.",
  },
  {
    id: "standard-normal",
    term: "standard normal distribution",
    aliases: ["normal distribution", "prior"],
    lessons: ["autoencoders"],
    definition:
      "The bell-shaped distribution with mean 0 and standard deviation 1. A VAE uses it as the prior of its codes: samples from it, decoded, are new images.",
  },
  {
    id: "silhouette",
    term: "silhouette",
    aliases: ["silhouette score"],
    lessons: ["autoencoders"],
    definition:
      "A score for how well points form separate groups: for each point, how much closer it is to its own group than to the nearest other group, averaged; from −1 to 1, with 0 meaning overlapping clouds.",
  },
  {
    id: "anomaly-detection",
    term: "anomaly detection",
    aliases: ["anomaly score", "anomaly detector"],
    lessons: ["autoencoders"],
    definition:
      "Flagging images that differ from the normal ones a model was trained on, without examples of the abnormal class: e.g. an auto-encoder trained on normal images rebuilds an abnormal one badly, so its reconstruction error is an anomaly score.",
  },

  // ── where the lessons run
  {
    id: "gpu",
    term: "GPU",
    aliases: ["graphics processor"],
    lessons: ["cnn", "detection"],
    definition:
      "Graphics processing unit: a chip with thousands of small cores made for drawing, which are also very good at the many multiplications of a neural network. Browsers reach it through WebGL or WebGPU.",
  },
  {
    id: "webgl",
    term: "WebGL",
    lessons: ["cnn", "detection"],
    definition:
      "The browser's interface to the graphics card, which tfjs uses to train on the GPU. On machines without a real GPU, WebGL is drawn in software (e.g. SwiftShader) and is then slower than WebAssembly.",
  },
  {
    id: "webassembly",
    term: "WebAssembly",
    aliases: ["wasm"],
    lessons: ["cnn", "detection"],
    definition:
      "A compact, fast code format that browsers run at close to native speed on the CPU. tfjs's wasm backend uses it where there is no fast GPU.",
  },
];
