mod adjust;
mod fixtures;
mod golden;
