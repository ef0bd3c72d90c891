// Copies the BBBC039 file from data/ (or $MEDDL_DATA_DIR) into the site, or nothing when absent.
import { emitFile } from "../../data/realData.mjs";

emitFile("bbbc039");
