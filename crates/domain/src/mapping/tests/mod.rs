mod adjust;
mod batched;
mod by_day;
mod days;
mod fixtures;
mod golden;
mod options;
mod props;
