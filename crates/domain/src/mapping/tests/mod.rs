mod fixtures;
mod golden;
