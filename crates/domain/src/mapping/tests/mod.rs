mod adjust;
mod batched;
mod days;
mod fixtures;
mod golden;
mod options;
mod props;
